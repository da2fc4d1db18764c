using Planetary.Contracts;
using Planetary.Fabric.Effects;
using Planetary.Fabric.Journal;
using Planetary.Fabric.Manifest;

namespace Planetary.Fabric.Routing;

/// <summary>
/// The shard router state machine: <c>state + input → entries + effects</c>. Every decision is made here and
/// nowhere else; each decision is an entry applied to <see cref="RouterState"/> at once, so the next decision in
/// the same step sees it. Time arrives as a tick number; there is no clock and no randomness.
/// </summary>
public sealed partial class ShardRouter
{
    /// <param name="state">The router's state (from genesis, or rebuilt from snapshot + journal).</param>
    /// <param name="observingSinceTick">When this process began observing (see <see cref="RouterObservations"/>); defaults to the state's tick.</param>
    public ShardRouter(RouterState state, long? observingSinceTick = null)
    {
        State = state;
        Observations = new RouterObservations(observingSinceTick ?? state.Tick);
    }

    /// <summary>What the journal says: changed only through <see cref="RouterState.Apply"/>.</summary>
    public RouterState State { get; }

    /// <summary>What this process has heard since it started (not journaled).</summary>
    public RouterObservations Observations { get; private set; }

    public string ShardId => State.ShardId;

    public string ServiceName => $"router:{ShardId}";

    /// <summary>Handles one input.</summary>
    public RouterStep Handle(RouterInput input, long tick)
    {
        var step = Begin(tick);
        switch (input)
        {
            case RouterInput.Submit { Job: var m, Known: var known }:
                OnSubmit(step, m, known, tick);
                break;
            case RouterInput.Results { Report: var m }:
                OnResults(step, m, tick);
                break;
            case RouterInput.Heartbeat { Beat: var m }:
                OnHeartbeat(step, m.ShardId, m.NodeId, m.Capabilities, m.Slots, m.ParameterVersion, m.Running, tick);
                break;
            case RouterInput.Registration { Node: var m }:
                OnHeartbeat(step, m.ShardId, m.NodeId, m.Capabilities, m.Slots, m.ParameterVersion, [], tick);
                break;
            case RouterInput.TransferIn { Transfer: var m }:
                OnTransferIn(step, m, tick);
                break;
            case RouterInput.Settlement { Settle: var m }:
                OnSettle(step, m, tick);
                break;
            case RouterInput.AllyLoad { Load: var m }:
                OnAllyLoad(step, m, tick);
                break;
            case RouterInput.Parameters { Published: var m }:
                OnParameters(step, m, tick);
                break;
            case RouterInput.Cancel { Request: var m }:
                OnCancel(step, m, tick);
                break;
            case RouterInput.Requeue { Request: var m, Failed: var failed }:
                OnRequeue(step, m, failed, tick);
                break;

            default:
                throw new ArgumentException($"A shard router does not handle {input.GetType().Name}.", nameof(input));
        }

        // Event-driven dispatch: a job that arrived, a slot that freed, a node that came or was resumed, the owner's
        // resume: whatever the input changed, a queued job meets a free slot in this same step, not at the next tick.
        if (!State.Paused)
        {
            AssignQueuedJobs(step, tick);
        }

        return Finish(step);
    }

    /// <summary>
    /// One scheduling cycle: expire silent nodes, time out attempts, advance drains, resend transfers, assign, forward,
    /// spill, report load. (Every <see cref="Handle"/> assigns too; a tick assigns what time itself freed.)
    /// </summary>
    public RouterStep Tick(long tick)
    {
        var step = Begin(tick);
        ExpireSilentNodes(step, tick);
        TimeOutAttempts(step, tick);
        FollowDrains(step, tick);
        ResendOverdueTransfers(step, tick);
        ForgetOldTombstones(step, tick);
        if (!State.Paused)
        {
            AssignQueuedJobs(step, tick);
        }

        ForwardJobsThisShardCannotRun(step, tick);
        if (!State.Paused)
        {
            SpilloverPolicy.Decide(this, step, tick);
        }

        if (tick % State.Settings.HeartbeatIntervalTicks == 0)
        {
            step.Effects.Add(new Publish(LoadReport(tick)));
        }

        return Finish(step);
    }

    /// <summary>
    /// Called once after a restart rebuilt the state from snapshot + journal tail (this router's observations are
    /// new: every node counts as heard now, every ally as not yet reported). Running attempts get a full grace
    /// period for their nodes to confirm them.
    /// </summary>
    public RouterStep Recover(long tick, string? snapshotId, int entriesReplayed)
    {
        var step = Begin(tick);
        Observations = new RouterObservations(tick);
        Record(step, new RouterRecovered(tick, snapshotId, entriesReplayed));
        step.Effects.Add(new Publish(LoadReport(tick)));
        return Finish(step);
    }

    public ShardLoadReported LoadReport(long tick) => new(
        ShardId,
        tick,
        State.Queue.Count,
        State.RunningCount,
        State.NodesInOrder.Where(n => n.Assignable).Sum(n => n.FreeSlots),
        !State.Paused,
        DistinctMasks(State.NodesInOrder.Where(n => n.Assignable)),
        DistinctMasks(State.NodesInOrder),
        State.ParameterVersion);

    /// <summary>The router's full status for owner control (the adapter fills in its process identity).</summary>
    public ShardStatusReported StatusReport(long tick, string instanceId, int processId)
    {
        var c = State.Counters;
        return new ShardStatusReported(
            ShardId,
            tick,
            State.Paused,
            State.ParameterVersion,
            State.Queue.Count,
            State.RunningCount,
            State.InTransferCount,
            c.Submitted,
            c.ArrivedByTransfer,
            c.Completed,
            c.Failed,
            c.Cancelled,
            c.Assignments,
            c.AttemptsFailed,
            c.Spillovers,
            c.SpilledOut,
            c.ForwardedOut,
            c.Recoveries,
            State.NodesInOrder.Select(n => new ShardNodeStatus(
                n.Id, n.Online, n.Registered, n.Running.Count, n.Slots, State.Capabilities.NamesOf(n.Mask), Observations.LastSeen(n.Id),
                n.Drain, n.Drain == NodeDrainState.Draining ? n.DrainDeadlineTick : null)).ToArray(),
            instanceId,
            processId);
    }

    private IReadOnlyList<IReadOnlyList<string>> DistinctMasks(IEnumerable<NodeView> nodes)
    {
        var masks = new SortedSet<ulong>();
        foreach (var node in nodes)
        {
            masks.Add(node.Mask);
        }

        var names = new IReadOnlyList<string>[masks.Count];
        var i = 0;
        foreach (var mask in masks)
        {
            names[i++] = State.Capabilities.NamesOf(mask);
        }

        return names;
    }

    private readonly SortedDictionary<string, List<JobAssignment>> _assignmentsByNode = new(StringComparer.Ordinal);

    private RouterStep Begin(long tick)
    {
        if (tick < State.Tick)
        {
            throw new ArgumentOutOfRangeException(nameof(tick), $"{ShardId}: tick {tick} is before the state's tick {State.Tick}.");
        }

        _assignmentsByNode.Clear();
        return new RouterStep();
    }

    private RouterStep Finish(RouterStep step)
    {
        foreach (var (nodeId, assignments) in _assignmentsByNode)
        {
            step.Effects.Add(new Send(Address.Node(nodeId), new AssignJobs(ShardId, nodeId, assignments)));
        }

        _assignmentsByNode.Clear();
        return step; // outcomes go to the books with the step's commit (no event: nobody would consume it)
    }

    internal void Record(RouterStep step, JournalEntry entry)
    {
        State.Apply(entry);
        step.Entries.Add(entry);
    }

    internal void QueueAssignment(string nodeId, JobAssignment assignment)
    {
        if (!_assignmentsByNode.TryGetValue(nodeId, out var list))
        {
            list = [];
            _assignmentsByNode[nodeId] = list;
        }

        list.Add(assignment);
    }

    /// <summary>Whether a node of this shard has the capabilities for a job (<paramref name="takingWorkOnly"/>: among nodes online and not drained).</summary>
    internal bool CanRunHere(ulong jobMask, bool takingWorkOnly)
    {
        foreach (var node in State.NodesInOrder)
        {
            if ((!takingWorkOnly || node.Assignable) && CapabilityIndex.CanRun(node.Mask, jobMask))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether an ally's load report is recent enough to act on.</summary>
    internal bool IsFresh(AllyView ally, long tick) => ally.ObservedTick >= tick - State.Settings.HeartbeatGraceTicks;

    private JobOutcome OutcomeOf(RouterJob job, JobOutcomeKind kind, string? nodeId, string? reason, long tick) => new(
        job.Id, kind, ShardId, nodeId, job.Attempts, job.Hops, job.OriginShard, job.Template, reason, job.SubmittedAtMs, job.AcceptedTick, tick, job.TraceParent);

    /// <summary>Records a failed attempt, and the job's failure when it has used its last attempt.</summary>
    private void FailAttempt(RouterStep step, RouterJob job, AttemptFailure failure, string reason, long tick)
    {
        var nodeId = job.NodeId!;
        Record(step, new AttemptFailed(tick, job.Id, job.Attempts, nodeId, failure, reason));
        if (job.AttemptsCharged >= State.Settings.MaxAttempts)
        {
            var why = $"{reason} (attempt {job.AttemptsCharged} of {State.Settings.MaxAttempts})";
            step.Outcomes.Add(OutcomeOf(job, JobOutcomeKind.Failed, nodeId, why, tick));
            Record(step, new JobFailed(tick, job.Id, why));
        }
    }
}
