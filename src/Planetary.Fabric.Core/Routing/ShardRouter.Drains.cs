using Planetary.Contracts;
using Planetary.Fabric.Effects;
using Planetary.Fabric.Journal;

namespace Planetary.Fabric.Routing;

// Node drain: the owner takes a node out of service gracefully, by setting nodes.{id}.draining.
public sealed partial class ShardRouter
{
    /// <summary>
    /// Follows the owner's word on drains, every tick and whenever parameters are adopted: a node the parameters drain
    /// starts draining (it is assigned nothing, <see cref="NodeView.Assignable"/>); a draining node with nothing running
    /// is drained; at the deadline (<c>routers.drainDeadlineTicks</c> after the drain started) what still runs is
    /// withdrawn first; a node the parameters no longer drain is resumed. Being driven by the parameters (versioned,
    /// published until every router has them, in the owner log), a drain survives lost or repeated messages and restarts.
    /// </summary>
    private void FollowDrains(RouterStep step, long tick)
    {
        foreach (var spec in State.Manifest.NodesOf(ShardId))
        {
            var node = State.Nodes[spec.Id];
            if (spec.Draining && node.Drain == NodeDrainState.None)
            {
                Record(step, new NodeDrainStarted(tick, node.Id, tick + State.Settings.DrainDeadlineTicks));
            }
            else if (!spec.Draining && node.Drain != NodeDrainState.None)
            {
                Record(step, new NodeResumed(tick, node.Id));
            }

            if (node.Drain == NodeDrainState.Draining)
            {
                AdvanceDrain(step, node, tick);
            }
        }
    }

    private void AdvanceDrain(RouterStep step, NodeView node, long tick)
    {
        if (node.Running.Count > 0 && tick >= node.DrainDeadlineTick)
        {
            var reason = $"withdrawn from {node.Id}: its drain deadline passed";
            var stopped = new List<JobAttemptRef>(node.Running.Count);
            foreach (var jobId in node.Running.ToArray())
            {
                var job = State.Jobs[jobId];
                stopped.Add(new JobAttemptRef(job.Id, job.Attempts));
                Record(step, new AttemptWithdrawn(tick, job.Id, job.Attempts, node.Id, reason));
            }

            // The node stops them and frees their slots. A success it reported before the stop still completes the job.
            step.Effects.Add(new Send(Address.Node(node.Id), new StopAttempts(ShardId, node.Id, stopped, reason)));
        }

        if (node.Running.Count == 0)
        {
            Record(step, new NodeDrained(tick, node.Id));
        }
    }
}
