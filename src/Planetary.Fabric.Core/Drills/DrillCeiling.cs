using Planetary.Fabric.Agents;
using Planetary.Fabric.Manifest;

namespace Planetary.Fabric.Drills;

/// <summary>
/// The shortest time a drill's jobs could take on the manifest's slots: the slot ceiling. Each template's work is its
/// job count times its run length in ticks (at the manifest's time scale); a node offers its concurrency every tick,
/// except while the plan holds it offline; a job may run on any node that has all its capabilities, wherever it was
/// submitted. The ceiling is the first tick count at which all the work fits (a max-flow from templates to the nodes
/// able to run them), and the templates and nodes that bind it are the min cut just before. It ignores what no
/// manifest can promise away: the ticks a job waits to be assigned, spillover's hops and a router's restart.
/// </summary>
public static class DrillCeiling
{
    /// <summary>The ceiling of a drill plan: its seeded jobs counted per template, with its planned outages.</summary>
    public static SlotCeiling Of(FabricManifest manifest, DrillPlan plan) =>
        Of(manifest, JobsPerTemplate(manifest, plan.JobsPerShard, plan.Seed), plan.NodeOutages);

    /// <summary>How many of a drill's seeded jobs each template gets: the same draws the pacer makes.</summary>
    public static Dictionary<string, long> JobsPerTemplate(FabricManifest manifest, int jobsPerShard, ulong seed)
    {
        var jobs = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var shard in manifest.Shards)
        {
            var stream = new JobStream(manifest, shard.Id, seed, runId: "ceiling");
            for (var i = 0; i < jobsPerShard; i++)
            {
                var template = stream.Next(submittedAtMs: 0).Template;
                jobs[template] = jobs.GetValueOrDefault(template) + 1;
            }
        }

        return jobs;
    }

    /// <summary>The ceiling of running <paramref name="jobsPerTemplate"/> on the manifest's nodes, with the given outages.</summary>
    public static SlotCeiling Of(FabricManifest manifest, IReadOnlyDictionary<string, long> jobsPerTemplate, IReadOnlyList<NodeOutage> outages)
    {
        var capabilities = new CapabilityIndex(manifest.Capabilities);
        var templates = manifest.JobTemplates
            .Select(t => (Template: t, Work: jobsPerTemplate.GetValueOrDefault(t.Name) * NodeAgent.RunTicks(t.DurationTicks, manifest.Execution.TimeScale)))
            .Where(t => t.Work > 0)
            .ToArray();
        var nodes = manifest.Nodes;
        var slots = nodes.Sum(n => n.Concurrency);
        var work = templates.Sum(t => t.Work);
        if (work == 0)
        {
            return new SlotCeiling(0, slots, 0, [], [], 0);
        }

        var canRun = templates
            .Select(t => nodes.Select(n => CapabilityIndex.CanRun(capabilities.MaskOf(n.Capabilities), capabilities.MaskOf(t.Template.Capabilities))).ToArray())
            .ToArray();
        if (templates.Select((_, i) => i).FirstOrDefault(i => !canRun[i].Any(can => can), -1) is var homeless and >= 0)
        {
            throw new ArgumentException($"No node can run template '{templates[homeless].Template.Name}': its jobs have no ceiling.", nameof(jobsPerTemplate));
        }

        var network = new SlotNetwork(templates.Select(t => t.Work).ToArray(), canRun);
        long Capacity(int node, long ticks) => nodes[node].Concurrency * (ticks - OfflineTicks(nodes[node].Id, ticks, outages));

        // Fits(ticks) grows with ticks: find the first tick count that fits, between one that cannot and one that must.
        long low = 0, high = 1;
        while (network.MaxFlow(node => Capacity(node, high)) < work)
        {
            low = high;
            high *= 2;
        }

        while (high - low > 1)
        {
            var middle = low + ((high - low) / 2);
            if (network.MaxFlow(node => Capacity(node, middle)) < work)
            {
                low = middle;
            }
            else
            {
                high = middle;
            }
        }

        network.MaxFlow(node => Capacity(node, low)); // the last tick count that does not fit: its min cut binds
        var (bindingTemplates, bindingNodes) = network.SourceSideOfCut();
        return new SlotCeiling(
            high,
            slots,
            work,
            bindingTemplates.Select(i => templates[i].Template.Name).ToArray(),
            bindingNodes.Select(i => nodes[i].Id).ToArray(),
            bindingNodes.Sum(i => nodes[i].Concurrency));
    }

    /// <summary>Ticks of the first <paramref name="ticks"/> during which the plan holds the node offline.</summary>
    private static long OfflineTicks(string nodeId, long ticks, IReadOnlyList<NodeOutage> outages) =>
        Math.Min(ticks, outages.Where(o => o.NodeId == nodeId).Sum(o => Math.Clamp(ticks - o.StartTick, 0, o.Ticks)));
}

/// <summary>
/// A drill's slot ceiling: at best <see cref="Ticks"/> ticks for <see cref="WorkSlotTicks"/> slot-ticks of work on
/// <see cref="Slots"/> slots. <see cref="BindingTemplates"/> on <see cref="BindingNodes"/> (<see cref="BindingSlots"/>
/// slots) is the part of the fleet that sets it: every slot when the work is spread, fewer when some templates can run
/// only on a few nodes.
/// </summary>
public sealed record SlotCeiling(
    long Ticks,
    int Slots,
    long WorkSlotTicks,
    IReadOnlyList<string> BindingTemplates,
    IReadOnlyList<string> BindingNodes,
    int BindingSlots);
