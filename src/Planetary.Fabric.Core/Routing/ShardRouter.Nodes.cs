using Planetary.Contracts;
using Planetary.Fabric.Journal;

namespace Planetary.Fabric.Routing;

// The marketplace: registration, heartbeats, silence, timeouts and assignment.
public sealed partial class ShardRouter
{
    private void OnHeartbeat(
        RouterStep step, string shardId, string nodeId, IReadOnlyList<string> capabilities, int slots, long parameterVersion,
        IReadOnlyList<JobAttemptRef> running, long tick)
    {
        if (shardId != ShardId)
        {
            return; // misrouted: a node of another shard
        }

        var mask = State.Capabilities.MaskOf(capabilities);
        State.Nodes.TryGetValue(nodeId, out var node);
        var current = parameterVersion >= State.ParameterVersion;
        if (node is null || !node.Registered || (current && (node.Mask != mask || node.Slots != slots)))
        {
            var effectiveMask = node is null || current ? mask : node.Mask;
            Record(step, new NodeRegistered(tick, nodeId, State.Capabilities.NamesOf(effectiveMask), node is null || current ? slots : node.Slots));
        }
        else if (!node.Online)
        {
            Record(step, new NodeHeartbeatReceived(tick, nodeId)); // back online: a state change
        }

        Observations.Saw(nodeId, tick); // a routine heartbeat is only an observation

        // Reconcile: an attempt this router thinks runs here, which the node does not report, is lost — once the
        // assignment is older than the grace period (it may still be on its way to the node).
        node = State.Nodes[nodeId];
        if (node.Running.Count == 0)
        {
            return;
        }

        var reported = new HashSet<(string, int)>(running.Select(r => (r.JobId, r.Attempt)));
        foreach (var jobId in node.Running.ToArray())
        {
            var job = State.Jobs[jobId];
            if (!reported.Contains((jobId, job.Attempts)) && tick - job.AssignedTick > State.Settings.HeartbeatGraceTicks)
            {
                FailAttempt(step, job, AttemptFailure.Lost, $"node {nodeId} does not report attempt {job.Attempts}", tick);
            }
        }
    }

    private void ExpireSilentNodes(RouterStep step, long tick)
    {
        foreach (var node in State.NodesInOrder)
        {
            if (!node.Online || tick - Observations.LastSeen(node.Id) <= State.Settings.HeartbeatGraceTicks)
            {
                continue;
            }

            foreach (var jobId in node.Running.ToArray())
            {
                FailAttempt(step, State.Jobs[jobId], AttemptFailure.Lost, $"node {node.Id} went silent", tick);
            }

            Record(step, new NodeMarkedOffline(tick, node.Id));
        }
    }

    private void TimeOutAttempts(RouterStep step, long tick)
    {
        foreach (var node in State.NodesInOrder)
        {
            foreach (var jobId in node.Running.ToArray())
            {
                var job = State.Jobs[jobId];
                if (tick - job.AssignedTick > State.Settings.JobTimeoutTicks)
                {
                    FailAttempt(step, job, AttemptFailure.TimedOut, $"attempt {job.Attempts} on {node.Id} timed out after {State.Settings.JobTimeoutTicks} ticks", tick);
                }
            }
        }
    }

    /// <summary>
    /// Hands queued jobs to nodes: the oldest job whose lane has a node that can take it goes first, to the least
    /// loaded online node that has all of the job's capabilities and a free slot.
    /// </summary>
    private void AssignQueuedJobs(RouterStep step, long tick)
    {
        if (State.Queue.Count == 0 || !AnyFreeSlot())
        {
            return; // the common case of a step that freed nothing (every input and every tick ask)
        }

        while (true)
        {
            RouterJob? bestJob = null;
            NodeView? bestNode = null;
            foreach (var (mask, jobs) in State.Queue.Lanes)
            {
                var head = jobs.Min!;
                if (bestJob is not null && head.QueueSeq >= bestJob.QueueSeq)
                {
                    continue;
                }

                var node = AssignmentPolicy.PickNode(State.NodesInOrder, mask);
                if (node is not null)
                {
                    bestJob = head;
                    bestNode = node;
                }
            }

            if (bestJob is null)
            {
                return;
            }

            var template = State.Manifest.FindTemplate(bestJob.Template)!;
            Record(step, new JobAssigned(tick, bestJob.Id, bestNode!.Id, bestJob.Attempts + 1));
            QueueAssignment(bestNode.Id, new JobAssignment(bestJob.Id, bestJob.Attempts, bestJob.Template, template.Capabilities, template.DurationTicks, bestJob.TraceParent));
        }
    }

    private bool AnyFreeSlot()
    {
        foreach (var node in State.NodesInOrder)
        {
            if (node.Assignable && node.FreeSlots > 0)
            {
                return true;
            }
        }

        return false;
    }
}
