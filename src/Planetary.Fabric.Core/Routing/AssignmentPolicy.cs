using Planetary.Fabric.Manifest;

namespace Planetary.Fabric.Routing;

/// <summary>Which node gets a job: online and not drained, has every capability the job needs, has a free slot; least loaded first.</summary>
public static class AssignmentPolicy
{
    public static NodeView? PickNode(IEnumerable<NodeView> nodes, ulong jobMask)
    {
        NodeView? best = null;
        foreach (var node in nodes)
        {
            if (!node.Assignable || node.FreeSlots == 0 || !CapabilityIndex.CanRun(node.Mask, jobMask))
            {
                continue;
            }

            if (best is null || IsLessLoaded(node, best))
            {
                best = node;
            }
        }

        return best;
    }

    /// <summary>Lower running/slots ratio first; ties go to more free slots, then to the lower id (nodes come in id order).</summary>
    private static bool IsLessLoaded(NodeView a, NodeView b)
    {
        var ratio = ((long)a.Running.Count * b.Slots).CompareTo((long)b.Running.Count * a.Slots);
        return ratio < 0 || (ratio == 0 && a.FreeSlots > b.FreeSlots);
    }
}
