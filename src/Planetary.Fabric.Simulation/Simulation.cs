using Planetary.Contracts;
using Planetary.Fabric.Agents;
using Planetary.Fabric.Determinism;
using Planetary.Fabric.Drills;
using Planetary.Fabric.Effects;
using Planetary.Fabric.Reporting;
using Planetary.Fabric.Routing;

namespace Planetary.Fabric.Simulation;

/// <summary>
/// Runs routers, agents, the checkpointer, the owner and a drill driver over the simulated bus in virtual time.
/// Each tick: faults due now, deliveries due now, new submissions, router ticks, agent ticks, checkpoints,
/// samples, invariants. Nothing here decides anything about jobs: the core does.
/// </summary>
public sealed class Simulation
{
    private readonly SimulationOptions _options;
    private readonly ulong _seed;
    private readonly List<SimulatedRouterProcess> _routers;
    private readonly Dictionary<string, SimulatedRouterProcess> _routerById;
    private readonly List<NodeAgent> _nodes;
    private readonly Dictionary<string, NodeAgent> _nodeById;
    private readonly SimulatedBus _bus;
    private readonly SimulatedCheckpointer _checkpointer;
    private readonly SimulatedOwner _owner;
    private readonly DrillPacer _pacer;
    private readonly InvariantChecker _invariants;
    private readonly QueueSkewSampler _skew = new();
    private readonly Dictionary<string, int> _peakQueue = new(StringComparer.Ordinal);
    private readonly Dictionary<string, RouterState> _dormant = new(StringComparer.Ordinal);
    private readonly List<TimelineEvent> _timeline = [];
    private readonly List<string> _faults = [];
    private readonly List<Effect> _effects = [];
    private bool _resumedFromCheckpoint;

    public Simulation(SimulationOptions options)
    {
        _options = options;
        _seed = options.Plan.Seed;
        var manifest = options.Manifest;
        var shards = manifest.Shards.Select(s => s.Id).ToArray();
        var nodes = manifest.Nodes.Select(n => n.Id).ToArray();
        _routers = shards.Select(s => new SimulatedRouterProcess(s, manifest)).ToList();
        _routerById = _routers.ToDictionary(r => r.ShardId, StringComparer.Ordinal);
        _nodes = nodes.Select(n => new NodeAgent(n, manifest, 0, _seed)).ToList();
        _nodeById = _nodes.ToDictionary(n => n.NodeId, StringComparer.Ordinal);
        _bus = new SimulatedBus(options.Bus, SeededRandom.For(_seed, "bus"), shards, nodes);
        _checkpointer = new SimulatedCheckpointer(manifest);
        _owner = new SimulatedOwner(
            manifest,
            shards.Select(s => $"router:{s}").Concat(nodes.Select(n => $"node:{n}")).ToArray(),
            republishEveryTicks: manifest.Routers.HeartbeatIntervalTicks * 2);
        _pacer = new DrillPacer(manifest, options.Plan, $"s{_seed}", resendAfterTicks: manifest.Routers.HeartbeatGraceTicks);
        _invariants = new InvariantChecker(_seed);
        foreach (var shard in shards)
        {
            _peakQueue[shard] = 0;
        }
    }

    public long Tick { get; private set; }

    public IReadOnlyList<SimulatedRouterProcess> Routers => _routers;

    public IReadOnlyList<NodeAgent> Nodes => _nodes;

    public InvariantChecker Invariants => _invariants;

    public SimulationResult Run()
    {
        foreach (var node in _nodes)
        {
            _bus.Carry(node.Start(0), 0);
        }

        for (Tick = 1; Tick <= _options.MaxTicks; Tick++)
        {
            ApplyFaultPlan();
            Deliver();
            Submit();
            foreach (var router in _routers)
            {
                if (router.Router is not null)
                {
                    Commit(router, router.Router.Tick(Tick));
                }
            }

            foreach (var node in _nodes)
            {
                _bus.Carry(node.Tick(Tick), Tick);
            }

            _owner.Tick(Tick, _effects);
            Flush();
            if (Tick % _owner.Manifest.Checkpoint.IntervalTicks == 0)
            {
                foreach (var router in _routers)
                {
                    _checkpointer.Checkpoint(router, _owner.Manifest.Checkpoint.SnapshotsRetained);
                }
            }

            Sample();
            if (Tick % _options.InvariantCheckEveryTicks == 0)
            {
                _invariants.Check(Tick, _routers, _nodes, DormantState);
            }

            if (IsSettled())
            {
                break;
            }
        }

        _invariants.Check(Tick, _routers, _nodes, DormantState);
        return BuildResult();
    }

    private bool IsSettled() =>
        _pacer.AllAccepted && _invariants.Open == 0 && _routers.All(r => r.Router is not null) && _owner.Converged;

    private void ApplyFaultPlan()
    {
        foreach (var outage in _options.Plan.NodeOutages.Where(o => o.StartTick == Tick))
        {
            if (_nodeById.TryGetValue(outage.NodeId, out var node))
            {
                node.GoOffline(outage.Ticks, Tick);
                _faults.Add($"tick {Tick}: node {outage.NodeId} offline for {outage.Ticks} ticks (lost its running work)");
            }
        }

        foreach (var crash in (_options.Plan.NodeCrashes ?? []).Where(c => c.AtTick == Tick))
        {
            var index = _nodes.FindIndex(n => n.NodeId == crash.NodeId);
            if (index >= 0)
            {
                var fresh = new NodeAgent(crash.NodeId, _owner.Manifest, _owner.Version, _seed);
                _nodes[index] = fresh;
                _nodeById[crash.NodeId] = fresh;
                _bus.Carry(fresh.Start(Tick), Tick);
                _faults.Add($"tick {Tick}: node agent {crash.NodeId} killed and restarted with empty memory");
            }
        }

        foreach (var crash in _options.Plan.RouterCrashes)
        {
            if (!_routerById.TryGetValue(crash.ShardId, out var router))
            {
                continue;
            }

            if (crash.AtTick == Tick && router.Router is not null)
            {
                router.Crash(Tick + crash.DownTicks);
                // What the restarted process will rebuild is fixed now (its storage); the invariants use it meanwhile.
                _dormant[crash.ShardId] = router.RebuildFromStorage().State;
                _faults.Add($"tick {Tick}: router {crash.ShardId} killed (memory lost), restarts at tick {Tick + crash.DownTicks}");
            }
            else if (router.IsDown && router.DownUntilTick == Tick)
            {
                _dormant.Remove(crash.ShardId);
                Commit(router, router.Restart(Tick));
                var resume = router.LastResume!;
                _resumedFromCheckpoint |= resume.ResumedFromCheckpoint;
                _faults.Add($"tick {Tick}: router {crash.ShardId} restarted from snapshot {resume.SnapshotId ?? "(none)"} + {resume.JournalEntriesReplayed} journal entries, {resume.JobsRestored} jobs restored");
            }
        }

        foreach (var change in _options.Plan.OwnerChanges.Where(c => c.AtTick == Tick))
        {
            var result = _owner.Change(change.Path, change.Value, change.Actor, Tick, _effects);
            _faults.Add(result.Succeeded
                ? $"tick {Tick}: owner set {change.Path} from {result.Before} to {result.After} (version {_owner.Version})"
                : $"tick {Tick}: owner change {change.Path} = {change.Value} refused: {result.Problem}");
        }

        Flush();
    }

    private RouterState? DormantState(string shardId) => _dormant.GetValueOrDefault(shardId);

    private void Deliver()
    {
        while (_bus.TryTake(Tick, out var delivery))
        {
            switch (delivery.Recipient)
            {
                case Recipient.Router:
                    var router = _routerById[delivery.Id];
                    if (router.Router is null)
                    {
                        _bus.Defer(delivery, router.DownUntilTick); // the durable queue keeps it
                    }
                    else
                    {
                        Commit(router, router.Router.Handle(delivery.Message, Tick));
                    }

                    break;
                case Recipient.Node:
                    _bus.Carry(_nodeById[delivery.Id].Handle(delivery.Message, Tick), Tick);
                    break;
                case Recipient.Observer:
                    Observe(delivery.Message);
                    break;
            }
        }
    }

    private void Observe(object message)
    {
        switch (message)
        {
            case JobsAccepted accepted:
                _pacer.OnAccepted(accepted);
                break;
            case ParametersApplied applied:
                _owner.OnApplied(applied);
                break;
        }
    }

    private void Submit()
    {
        var outstanding = _pacer.Accepted - _invariants.Books.Count;
        foreach (var batch in _pacer.Next(Tick, outstanding, Tick * _options.Manifest.Routers.TickMs))
        {
            _effects.Add(new Send(Address.Router(batch.ShardId), batch));
        }

        Flush();
    }

    /// <summary>Journal first (and the books with it), then the effects: the live adapter's order.</summary>
    private void Commit(SimulatedRouterProcess router, RouterStep step)
    {
        if (step.Entries.Count > 0)
        {
            router.Append(step.Entries);
            _invariants.OnJournaled(step.Entries, Tick);
            if (_options.RecordTimeline)
            {
                foreach (var entry in step.Entries)
                {
                    JournalTimeline.Append(router.ShardId, entry, _timeline);
                }
            }
        }

        if (step.Outcomes.Count > 0)
        {
            _invariants.OnFinished(step.Outcomes, Tick);
        }

        _bus.Carry(step.Effects, Tick);
    }

    private void Flush()
    {
        if (_effects.Count > 0)
        {
            _bus.Carry(_effects, Tick);
            _effects.Clear();
        }
    }

    private void Sample()
    {
        Span<int> queues = stackalloc int[_routers.Count];
        for (var i = 0; i < _routers.Count; i++)
        {
            var router = _routers[i];
            var queued = (router.Router?.State ?? _dormant[router.ShardId]).Queue.Count;
            queues[i] = queued;
            _peakQueue[router.ShardId] = Math.Max(_peakQueue[router.ShardId], queued);
        }

        _skew.Sample(queues.ToArray());
    }

    private SimulationResult BuildResult()
    {
        var states = _routers.Select(r => r.Router?.State ?? _dormant[r.ShardId]).ToArray();
        var books = _invariants.Books.Values;
        var counters = states.Select(s => s.Counters).ToArray();
        var assignments = counters.Sum(c => c.Assignments);
        var attemptsFailed = counters.Sum(c => c.AttemptsFailed);
        var completedByNode = books.Where(o => o.Kind == JobOutcomeKind.Completed && o.NodeId is not null)
            .GroupBy(o => o.NodeId!).ToDictionary(g => g.Key, g => (long)g.Count(), StringComparer.Ordinal);
        var submitted = _pacer.Accepted;
        var finished = books.Count(o => _pacer.AcceptedJobIds.Contains(o.JobId));
        var unfinished = _invariants.Open;

        var summary = new DrillSummary(
            Mode: "simulated",
            Seed: _seed,
            JobsPerShard: _options.Plan.JobsPerShard,
            JobsSubmitted: submitted,
            JobsCompleted: books.Count(o => o.Kind == JobOutcomeKind.Completed),
            JobsFailed: books.Count(o => o.Kind == JobOutcomeKind.Failed),
            JobsCancelled: books.Count(o => o.Kind == JobOutcomeKind.Cancelled),
            JobsLost: submitted - finished - unfinished,
            JobsUnfinished: unfinished,
            FailedAssignmentRate: assignments == 0 ? 0 : Math.Round((double)attemptsFailed / assignments, 6),
            Assignments: assignments,
            AttemptsFailed: attemptsFailed,
            Spillovers: counters.Sum(c => c.Spillovers),
            JobsSpilled: counters.Sum(c => c.SpilledOut),
            JobsForwarded: counters.Sum(c => c.ForwardedOut),
            Checkpoints: _checkpointer.Records.Count,
            ResumedFromCheckpoint: _resumedFromCheckpoint,
            QueueSkew: _skew.Summarise(),
            DurationTicks: Tick,
            OwnerInterventions: _owner.Log.Count,
            ConfigHash: ConfigHash.Of(_options.Manifest),
            Shards: states.Select(s => new ShardFigures(
                s.ShardId, s.Counters.Submitted, s.Counters.ArrivedByTransfer, s.Counters.Completed, s.Counters.Failed,
                s.Counters.SpilledOut, s.Counters.ForwardedOut, _peakQueue[s.ShardId], s.Counters.Recoveries)).ToArray(),
            Faults: _faults.ToArray(),
            OwnerChange: _owner.Log.FirstOrDefault() is { } change && _options.RecordTimeline
                ? OwnerChangeEffect.Measure(change, _timeline, e => e.Tick > change.Tick)
                : null,
            Live: null);

        var nodes = _nodes.Select(n => new NodeFigures(
            n.NodeId,
            n.ShardId,
            n.Spec.Concurrency,
            n.Spec.Reliability,
            n.Statistics.Started,
            n.Statistics.Succeeded,
            n.Statistics.Failed,
            n.Statistics.Rejected,
            n.Statistics.Lost,
            n.Statistics.Outages,
            completedByNode.GetValueOrDefault(n.NodeId),
            Tick == 0 ? 0 : Math.Round((double)n.Statistics.BusyTicks / (n.Spec.Concurrency * (double)Tick), 4))).ToArray();

        return new SimulationResult(
            summary, nodes, _owner.Log.ToArray(), _checkpointer.Records.ToArray(), _timeline, _invariants.Checks, _bus.Sent, _bus.Dropped, _bus.Duplicated);
    }
}
