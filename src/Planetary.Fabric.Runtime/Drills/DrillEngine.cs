using Planetary.Contracts;
using Planetary.Fabric.Drills;
using Planetary.Fabric.Reporting;
using Planetary.Fabric.Routing;
using Planetary.Fabric.Runtime.Ports;
using Planetary.Fabric.Runtime.Routers;

namespace Planetary.Fabric.Runtime.Drills;

/// <summary>How far a drill is, for progress reports.</summary>
public sealed record DrillFigures(
    long Tick,
    long Submitted,
    long Accepted,
    long Finished,
    IReadOnlyDictionary<string, ShardDrillFigures> Shards,
    IReadOnlyList<string> Events);

/// <summary>One shard's share of a drill so far.</summary>
public sealed record ShardDrillFigures(long Submitted, long Accepted, long Finished, int Queued);

/// <summary>Where a drill tick left the drill.</summary>
public enum DrillTickResult
{
    Running,

    /// <summary>Every job was accepted and has finished, and every crashed router is back.</summary>
    Done,

    /// <summary>No job finished for the stall limit: the drill stops; what is unfinished is reported as such.</summary>
    Stalled,
}

/// <summary>
/// The drill, written once for the simulator and the live fleet. Each tick it injects the plan's faults due now (a node
/// goes silent, a router process is killed, the owner changes a parameter), follows the drill's jobs in the books,
/// streams the seeded jobs in through the <see cref="DrillPacer"/> (which resends unanswered batches and re-offers
/// refused jobs), and samples the queue skew. At the end it rebuilds every router from durable storage to tell a job
/// that is still held somewhere (unfinished) from one that is nowhere (lost), and builds the summary. It decides nothing
/// about jobs: the fleet does.
/// </summary>
public sealed class DrillEngine
{
    private readonly DrillSetup _setup;
    private readonly IDrillFleet _fleet;
    private readonly IJournalStore _journal;
    private readonly ISnapshotStore _snapshots;
    private readonly TimeProvider _time;
    private readonly DrillPacer _pacer;
    private readonly Lock _gate = new(); // a System.Threading.Lock: monitor entries on a plain object took a slow path in the simulated drill's profile
    private readonly HashSet<string> _open = new(StringComparer.Ordinal);
    private readonly IFinishedJobsFeed? _finishedFeed;
    private readonly List<string> _openedSinceFollow = [];
    private readonly List<string> _candidates = [];
    private readonly Dictionary<string, JobOutcome> _finished = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, (long Submitted, long Accepted, long Finished)> _perShard = new(StringComparer.Ordinal);
    private readonly QueueSkewSampler _skew = new();
    private readonly Dictionary<string, int> _peakQueue = new(StringComparer.Ordinal);
    private readonly List<string> _faults = [];
    private readonly List<string> _events = [];
    private readonly List<(string ShardId, long AtMs)> _crashes = [];
    private readonly List<OwnerChange> _pendingChanges = [];
    private readonly List<NodeOutage> _pendingOutages = [];
    private readonly List<RouterCrash> _pendingCrashes = [];
    private string? _waitingFor;
    private DrillBaseline? _baseline;
    private long _lastProgressTick;

    public DrillEngine(DrillSetup setup, IDrillFleet fleet, IJournalStore journal, ISnapshotStore snapshots, TimeProvider time)
    {
        _setup = setup;
        _fleet = fleet;
        _journal = journal;
        _snapshots = snapshots;
        _time = time;
        _pacer = new DrillPacer(setup.Manifest, setup.Plan, setup.RunId);
        _finishedFeed = fleet as IFinishedJobsFeed;
        foreach (var shard in setup.Manifest.Shards)
        {
            _perShard[shard.Id] = (0, 0, 0);
            _peakQueue[shard.Id] = 0;
        }
    }

    /// <summary>A line for the drill's event log (live: also logged).</summary>
    public event Action<string>? Noted;

    public DrillSetup Setup => _setup;

    public long Tick { get; private set; }

    /// <summary>Measures the fleet's counters and node statistics before the first job, so the report counts only the drill.</summary>
    public async ValueTask BeginAsync(CancellationToken cancellationToken)
    {
        var routers = await RebuildRoutersAsync(cancellationToken);
        _baseline = new DrillBaseline(
            routers.ToDictionary(r => r.Key, r => r.Value.Counters.Clone(), StringComparer.Ordinal),
            new Dictionary<string, NodeStatusReported>(_fleet.NodeReports, StringComparer.Ordinal),
            NowMs);
        var plan = _setup.Plan;
        Note($"drill {_setup.Id}: {plan.JobsPerShard} jobs per shard, seed {DrillSeed.Describe(plan.Seed, plan.SeedText)}, demand {string.Join(", ", plan.Demand.Select(d => $"{d.Key} {d.Value}"))}");
    }

    /// <summary>One drill tick: faults due now, the books, new submissions, a queue skew sample.</summary>
    public async ValueTask<DrillTickResult> TickAsync(CancellationToken cancellationToken)
    {
        Tick++;
        await InjectFaultsAsync(cancellationToken);
        if (await FollowBooksAsync(cancellationToken))
        {
            _lastProgressTick = Tick;
        }

        await SubmitAsync(cancellationToken);
        Sample();

        bool done;
        lock (_gate)
        {
            done = _pacer.AllAccepted && _open.Count == 0;
        }

        if (done && _pendingChanges.Count + _pendingOutages.Count + _pendingCrashes.Count == 0 && CrashedRoutersAreBack())
        {
            return DrillTickResult.Done;
        }

        if (Tick - _lastProgressTick > _setup.StallAfterTicks)
        {
            Note($"no job finished for {_setup.StallAfterTicks} ticks: stopping; what is not finished is reported as unfinished or lost");
            return DrillTickResult.Stalled;
        }

        return DrillTickResult.Running;
    }

    /// <summary>A router's answer to a batch (thread-safe: live, it arrives on the bus's thread).</summary>
    public void OnAccepted(JobsAccepted accepted)
    {
        lock (_gate)
        {
            var before = _pacer.Accepted;
            _pacer.OnAccepted(accepted);
            var added = _pacer.Accepted - before;
            if (added == 0)
            {
                return; // not ours, or an answer we already had
            }

            foreach (var id in accepted.Accepted.Where(id => !_finished.ContainsKey(id)))
            {
                if (_open.Add(id) && _finishedFeed is not null)
                {
                    _openedSinceFollow.Add(id);
                }
            }

            if (_perShard.TryGetValue(accepted.ShardId, out var s))
            {
                _perShard[accepted.ShardId] = (s.Submitted, s.Accepted + added, s.Finished);
            }
        }
    }

    /// <summary>Progress so far.</summary>
    public DrillFigures Figures()
    {
        lock (_gate)
        {
            return new DrillFigures(
                Tick,
                _perShard.Values.Sum(s => s.Submitted),
                _pacer.Accepted,
                _finished.Count,
                _perShard.ToDictionary(p => p.Key, p => new ShardDrillFigures(p.Value.Submitted, p.Value.Accepted, p.Value.Finished, _fleet.QueueDepth(p.Key)), StringComparer.Ordinal),
                _events.ToArray());
        }
    }

    /// <summary>
    /// Ends the drill: rebuilds every router from durable storage, counts what finished (the books), what is still held
    /// by a router (unfinished) and what is nowhere (lost), and builds the report.
    /// </summary>
    public async ValueTask<DrillReport> FinishAsync(CancellationToken cancellationToken)
    {
        var baseline = _baseline ?? throw new InvalidOperationException("BeginAsync was not called");
        var endedAtMs = NowMs;
        string[] accepted;
        lock (_gate)
        {
            accepted = _pacer.AcceptedJobIds.ToArray();
        }

        IReadOnlyDictionary<string, JobOutcome> outcomes = new Dictionary<string, JobOutcome>();
        Dictionary<string, RouterState> routers = [];
        while (!await Available(async () =>
               {
                   outcomes = await _fleet.OutcomesAsync(accepted, cancellationToken);
                   routers = await RebuildRoutersAsync(cancellationToken);
               }))
        {
            await Task.Delay(TimeSpan.FromSeconds(1), _time, cancellationToken); // the final accounting needs the store
        }

        var held = accepted.Count(id => !outcomes.ContainsKey(id) && routers.Values.Any(s => s.Jobs.ContainsKey(id)));
        var facts = new DrillFacts(
            _setup,
            baseline,
            Tick,
            endedAtMs,
            accepted,
            outcomes,
            held,
            routers.ToDictionary(r => r.Key, r => r.Value.Counters, StringComparer.Ordinal),
            _skew.Summarise(),
            new Dictionary<string, int>(_peakQueue, StringComparer.Ordinal),
            _faults.ToArray(),
            _fleet.Resumes.Where(r => r.StartedAtMs >= baseline.StartedAtMs && r.StartedAtMs <= endedAtMs).ToArray(),
            _crashes.ToArray(),
            new Dictionary<string, NodeStatusReported>(_fleet.NodeReports, StringComparer.Ordinal),
            await _fleet.CheckpointsAsync(baseline.StartedAtMs, endedAtMs, cancellationToken),
            await _fleet.OwnerLogAsync(baseline.StartedAtMs, cancellationToken),
            await _fleet.TimelineAsync(accepted, cancellationToken));
        return DrillSummaryBuilder.Build(facts);
    }

    /// <summary>Injects the plan's faults due now; one the fleet cannot take yet (the broker or store is away) waits for the next tick.</summary>
    private async ValueTask InjectFaultsAsync(CancellationToken cancellationToken)
    {
        var plan = _setup.Plan;
        _pendingOutages.AddRange(plan.NodeOutages.Where(o => o.StartTick == Tick));
        _pendingCrashes.AddRange(plan.RouterCrashes.Where(c => c.AtTick == Tick));
        _pendingChanges.AddRange(plan.OwnerChanges.Where(c => c.AtTick == Tick));

        foreach (var outage in _pendingOutages.ToArray())
        {
            if (await Available(() => _fleet.TakeNodeOfflineAsync(outage, _setup.Actor, cancellationToken)))
            {
                _pendingOutages.Remove(outage);
                Fault($"tick {Tick}: node {outage.NodeId} taken offline for {outage.Ticks} ticks (it stops heartbeating and loses its running work)");
            }
        }

        foreach (var crash in _pendingCrashes.ToArray())
        {
            var at = NowMs;
            FaultInjected? injected = null;
            if (!await Available(async () => injected = await _fleet.CrashRouterAsync(crash, _setup.Actor, cancellationToken)))
            {
                continue;
            }

            _pendingCrashes.Remove(crash);
            if (injected!.Injected)
            {
                lock (_gate)
                {
                    _crashes.Add((crash.ShardId, at));
                }

                Fault($"tick {Tick}: router {crash.ShardId} killed ({injected.Description})");
            }
            else
            {
                Fault($"tick {Tick}: router {crash.ShardId} was not killed: {injected.Description}");
            }
        }

        foreach (var change in _pendingChanges.ToArray())
        {
            var outcome = await _fleet.ChangeParameterAsync(change, _setup.Actor, cancellationToken);
            if (outcome.Unavailable)
            {
                Waiting("the state store");
                continue; // nothing changed: the owner tries again next tick, as a person would
            }

            _pendingChanges.Remove(change);
            Fault(outcome.Succeeded
                ? $"tick {Tick}: owner set {change.Path} from {outcome.Before} to {outcome.After} (version {outcome.Version})"
                : $"tick {Tick}: owner change {change.Path} = {change.Value} refused: {outcome.Problem}");
        }
    }

    /// <summary>Runs a fleet operation; false (and a note, once per outage) when the broker or the store is away.</summary>
    private async ValueTask<bool> Available(Func<ValueTask> operation)
    {
        try
        {
            await operation();
            if (_waitingFor is not null)
            {
                Note($"{_waitingFor} answers again");
                _waitingFor = null;
            }

            return true;
        }
        catch (StateStoreUnavailableException)
        {
            Waiting("the state store");
            return false;
        }
        catch (BrokerUnavailableException)
        {
            Waiting("the broker");
            return false;
        }
    }

    private void Waiting(string what)
    {
        if (_waitingFor != what)
        {
            _waitingFor = what;
            Note($"waiting for {what}");
        }
    }

    /// <summary>Moves jobs that reached the books from open to finished; true when any did.</summary>
    private async ValueTask<bool> FollowBooksAsync(CancellationToken cancellationToken)
    {
        IReadOnlyCollection<string> open;
        lock (_gate)
        {
            if (_open.Count == 0)
            {
                return false;
            }

            open = _finishedFeed is null ? _open.ToArray() : OpenCandidates(_finishedFeed);
        }

        IReadOnlyDictionary<string, JobOutcome> outcomes = new Dictionary<string, JobOutcome>();
        if (!await Available(async () => outcomes = await _fleet.OutcomesAsync(open, cancellationToken)))
        {
            if (_finishedFeed is not null)
            {
                lock (_gate)
                {
                    _openedSinceFollow.AddRange(open); // not looked up: look again next tick
                }
            }

            return false;
        }

        if (outcomes.Count == 0)
        {
            return false;
        }

        lock (_gate)
        {
            foreach (var (id, outcome) in outcomes)
            {
                if (_open.Remove(id))
                {
                    _finished[id] = outcome;
                    if (_perShard.TryGetValue(outcome.OriginShard, out var s))
                    {
                        _perShard[outcome.OriginShard] = (s.Submitted, s.Accepted, s.Finished + 1);
                    }
                }
            }
        }

        return true;
    }

    /// <summary>
    /// The open jobs that can have reached the books since the last look (with a feed): those the books took an outcome
    /// for since, and those opened since. Every other open job was already looked up, and was not in the books then.
    /// </summary>
    private List<string> OpenCandidates(IFinishedJobsFeed feed)
    {
        _candidates.Clear();
        feed.TakeFinishedSince(_candidates);
        _candidates.RemoveAll(id => !_open.Contains(id));
        _candidates.AddRange(_openedSinceFollow);
        _openedSinceFollow.Clear();
        return _candidates;
    }

    private async ValueTask SubmitAsync(CancellationToken cancellationToken)
    {
        IReadOnlyList<SubmitJobs> batches;
        lock (_gate)
        {
            batches = _pacer.Next(Tick, _perShard.ToDictionary(s => s.Key, s => s.Value.Accepted - s.Value.Finished, StringComparer.Ordinal), NowMs);
        }

        foreach (var batch in batches)
        {
            if (!await Available(() => _fleet.SubmitAsync(batch, cancellationToken)))
            {
                return; // the pacer keeps the batch and sends it again later
            }

            lock (_gate)
            {
                var s = _perShard[batch.ShardId];
                _perShard[batch.ShardId] = (s.Submitted + batch.Jobs.Count, s.Accepted, s.Finished);
            }
        }
    }

    private void Sample()
    {
        var shards = _setup.Manifest.Shards;
        var queued = new int[shards.Count];
        for (var i = 0; i < queued.Length; i++)
        {
            queued[i] = _fleet.QueueDepth(shards[i].Id);
            _peakQueue[shards[i].Id] = Math.Max(_peakQueue[shards[i].Id], queued[i]);
        }

        _skew.Sample(queued);
    }

    private bool CrashedRoutersAreBack()
    {
        lock (_gate)
        {
            return _crashes.All(c => _fleet.Resumes.Any(r => r.ShardId == c.ShardId && r.StartedAtMs >= c.AtMs));
        }
    }

    private async ValueTask<Dictionary<string, RouterState>> RebuildRoutersAsync(CancellationToken cancellationToken)
    {
        var states = new Dictionary<string, RouterState>(StringComparer.Ordinal);
        foreach (var shard in _setup.Genesis.Shards)
        {
            states[shard.Id] = (await RouterRecovery.RebuildAsync(shard.Id, _setup.Genesis, _journal, _snapshots, cancellationToken)).State;
        }

        return states;
    }

    /// <summary>Records a fault injected from outside the plan (the simulator's own faults), for the summary.</summary>
    public void RecordFault(string text) => Fault(text);

    private void Fault(string text)
    {
        lock (_gate)
        {
            _faults.Add(text);
        }

        Note(text);
    }

    private void Note(string text)
    {
        var line = $"{_time.GetUtcNow():HH:mm:ss} {text}";
        lock (_gate)
        {
            _events.Add(line);
        }

        Noted?.Invoke(text);
    }

    private long NowMs => _time.GetUtcNow().ToUnixTimeMilliseconds();
}
