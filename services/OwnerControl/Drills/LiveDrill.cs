using System.Diagnostics;
using Planetary.Contracts;
using Planetary.Fabric.Drills;
using Planetary.Fabric.Hosting.Messaging;
using Planetary.Fabric.Hosting.Redis;
using Planetary.Fabric.Manifest;
using Planetary.Fabric.Reporting;
using Planetary.OwnerControl.Fleet;

namespace Planetary.OwnerControl.Drills;

/// <summary>
/// One drill on the live fleet. Each tick (<c>routers.tickMs</c>) it streams the plan's seeded jobs in through the
/// routers' queues (the core's <see cref="DrillPacer"/>, as in the simulator), injects the plan's faults for real —
/// a node goes silent, a router process is killed, the owner changes a parameter — samples the queue skew from the
/// routers' load reports, and follows the jobs in the books. When every job has finished it writes the report bundle.
/// It decides nothing about jobs: the fleet does.
/// </summary>
public sealed partial class LiveDrill
{
    private static readonly ActivitySource Source = new("Planetary.OwnerControl.Drills");

    private readonly DrillContext _context;
    private readonly DrillPacer _pacer;
    private readonly object _gate = new();
    private readonly HashSet<string> _open = new(StringComparer.Ordinal);
    private readonly Dictionary<string, JobOutcome> _finished = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (long Submitted, long Accepted, long Finished)> _perShard = new(StringComparer.Ordinal);
    private readonly QueueSkewSampler _skew = new();
    private readonly Dictionary<string, int> _peakQueue = new(StringComparer.Ordinal);
    private readonly List<string> _faults = [];
    private readonly List<string> _events = [];
    private readonly ILogger _logger;
    private volatile DrillProgress _progress;

    public LiveDrill(DrillContext context)
    {
        _context = context;
        _logger = context.Logger;
        _pacer = new DrillPacer(context.Manifest, context.Plan, context.JobPrefix, resendAfterTicks: 200);
        foreach (var shard in context.Manifest.Shards)
        {
            _perShard[shard.Id] = (0, 0, 0);
            _peakQueue[shard.Id] = 0;
        }

        _progress = Snapshot(DrillState.Running, null, null, [], null);
    }

    public DrillProgress Progress => _progress;

    public string Id => _context.Id;

    /// <summary>Runs the drill to the end; never throws (a failure is reported in the progress).</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        _context.Fleet.JobsAccepted += OnAccepted;
        try
        {
            var baseline = await WaitForFleetAsync(cancellationToken);
            var measurement = await StreamAsync(baseline, cancellationToken);
            _progress = Snapshot(DrillState.Settling, null, null, [], null);
            var report = await LiveDrillReport.BuildAsync(_context, measurement, cancellationToken);
            Note($"report written to {report.Directory}");
            _progress = Snapshot(DrillState.Completed, report.Directory, report.Bundle.Summary, report.AcceptanceFailures, null);
        }
        catch (Exception e)
        {
            Note($"drill failed: {e.Message}");
            _progress = Snapshot(DrillState.Failed, null, null, [], e.Message);
        }
        finally
        {
            _context.Fleet.JobsAccepted -= OnAccepted;
        }
    }

    private async Task<FleetBaseline> WaitForFleetAsync(CancellationToken cancellationToken)
    {
        var deadline = _context.Time.GetUtcNow().AddSeconds(_context.Options.FleetReadyTimeoutSeconds);
        while (true)
        {
            var missing = _context.Manifest.Shards.Select(s => s.Id).Where(id => !_context.Fleet.Shards.ContainsKey(id) || !_context.Fleet.Loads.ContainsKey(id)).ToArray();
            if (missing.Length == 0)
            {
                break;
            }

            if (_context.Time.GetUtcNow() > deadline)
            {
                throw new InvalidOperationException($"routers of [{string.Join(", ", missing)}] have not reported within {_context.Options.FleetReadyTimeoutSeconds} s: is the fleet running?");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200), _context.Time, cancellationToken);
        }

        Note($"drill {Id}: {_context.Plan.JobsPerShard} jobs per shard, seed {_context.Plan.Seed}, demand {string.Join(", ", _context.Plan.Demand.Select(d => $"{d.Key} {d.Value}"))}");
        return FleetBaseline.Capture(_context);
    }

    private async Task<DrillMeasurement> StreamAsync(FleetBaseline baseline, CancellationToken cancellationToken)
    {
        var tickMs = _context.Manifest.Routers.TickMs;
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(tickMs), _context.Time);
        var tick = 0L;
        var lastProgressMs = Now;
        long? crashSentMs = null;
        string? crashedShard = null;
        while (await timer.WaitForNextTickAsync(cancellationToken))
        {
            tick++;
            await InjectFaultsAsync(tick, cancellationToken, (shard, at) => (crashedShard, crashSentMs) = (shard, at));
            if (tick % 10 == 0 && await FollowBooksAsync())
            {
                lastProgressMs = Now;
            }

            await SubmitAsync(tick, cancellationToken);
            SampleSkew();
            _progress = Snapshot(DrillState.Running, null, null, [], null);

            bool done;
            lock (_gate)
            {
                done = _pacer.AllAccepted && _open.Count == 0;
            }

            if (done && RecoveryObserved(crashedShard, crashSentMs))
            {
                break;
            }

            if (Now - lastProgressMs > _context.Options.StallTimeoutSeconds * 1000L)
            {
                Note($"no job finished for {_context.Options.StallTimeoutSeconds} s: stopping; unfinished jobs count as lost");
                break;
            }
        }

        lock (_gate)
        {
            return new DrillMeasurement(
                baseline, tick, Now, _pacer.AcceptedJobIds.ToArray(), new Dictionary<string, JobOutcome>(_finished, StringComparer.Ordinal),
                _skew.Summarise(), new Dictionary<string, int>(_peakQueue, StringComparer.Ordinal), _faults.ToArray(), crashedShard, crashSentMs,
                _perShard.ToDictionary(p => p.Key, p => p.Value.Submitted, StringComparer.Ordinal));
        }
    }

    private async Task InjectFaultsAsync(long tick, CancellationToken cancellationToken, Action<string, long> crashed)
    {
        foreach (var outage in _context.Plan.NodeOutages.Where(o => o.StartTick == tick))
        {
            await _context.Dispatcher.SendAsync(Queues.Node(outage.NodeId), new TakeNodeOffline(outage.NodeId, outage.Ticks, _context.Actor), cancellationToken);
            Fault($"tick {tick}: node {outage.NodeId} taken offline for {outage.Ticks} ticks (it stops heartbeating and loses its running work)");
        }

        foreach (var crash in _context.Plan.RouterCrashes.Where(c => c.AtTick == tick))
        {
            crashed(crash.ShardId, Now);
            var instance = _context.Fleet.Shards.TryGetValue(crash.ShardId, out var heard) ? heard.Report.InstanceId : null;
            await _context.Dispatcher.SendAsync(Queues.Router(crash.ShardId), new CrashRouter(crash.ShardId, _context.Actor, instance), cancellationToken);
            Fault($"tick {tick}: router {crash.ShardId} killed (its process exits without shutting down; the app host restarts it)");
        }

        foreach (var change in _context.Plan.OwnerChanges.Where(c => c.AtTick == tick))
        {
            var outcome = await _context.Changer.ChangeAsync(change.Path, change.Value, _context.Actor, cancellationToken);
            Fault(outcome.Succeeded
                ? $"tick {tick}: owner set {change.Path} from {outcome.Before} to {outcome.After} (version {outcome.Version})"
                : $"tick {tick}: owner change {change.Path} = {change.Value} refused: {outcome.Problem}");
        }
    }

    private bool RecoveryObserved(string? crashedShard, long? crashSentMs)
    {
        if (crashedShard is null)
        {
            return true;
        }

        var resumed = _context.Fleet.Resumes.LastOrDefault(r => r.ShardId == crashedShard && r.StartedAtMs >= crashSentMs);
        return resumed is not null;
    }

    private async Task SubmitAsync(long tick, CancellationToken cancellationToken)
    {
        IReadOnlyList<SubmitJobs> batches;
        lock (_gate)
        {
            batches = _pacer.Next(tick, _open.Count, Now);
        }

        foreach (var batch in batches)
        {
            // A root span per batch: sampled at Telemetry:RootSampleRatio, so some drill jobs are traced end to end.
            using var span = Source.StartActivity("drill batch", ActivityKind.Producer);
            span?.SetTag("planetary.shard", batch.ShardId);
            span?.SetTag("planetary.drill", Id);
            var traceParent = span?.Recorded == true ? span.Id : null;
            var message = traceParent is null ? batch : batch with { Jobs = batch.Jobs.Select(j => j with { TraceParent = traceParent }).ToArray() };
            await _context.Dispatcher.SendAsync(Queues.Router(batch.ShardId), message, cancellationToken);
            lock (_gate)
            {
                var s = _perShard[batch.ShardId];
                _perShard[batch.ShardId] = (s.Submitted + batch.Jobs.Count, s.Accepted, s.Finished);
            }
        }
    }

    private void OnAccepted(JobsAccepted accepted)
    {
        lock (_gate)
        {
            var before = _pacer.Accepted;
            _pacer.OnAccepted(accepted);
            if (_pacer.Accepted == before)
            {
                return; // not ours, or an answer we already had
            }

            foreach (var id in accepted.Accepted.Where(id => !_finished.ContainsKey(id)))
            {
                _open.Add(id);
            }

            if (_perShard.TryGetValue(accepted.ShardId, out var s))
            {
                _perShard[accepted.ShardId] = (s.Submitted, s.Accepted + accepted.Accepted.Count, s.Finished);
            }
        }
    }

    /// <summary>Moves jobs that reached the books from open to finished; true when any did.</summary>
    private async Task<bool> FollowBooksAsync()
    {
        string[] open;
        lock (_gate)
        {
            open = _open.ToArray();
        }

        if (open.Length == 0)
        {
            return false;
        }

        var outcomes = await _context.Books.OutcomesAsync(open);
        lock (_gate)
        {
            foreach (var (id, outcome) in outcomes)
            {
                if (_open.Remove(id))
                {
                    _finished[id] = outcome;
                    var origin = outcome.OriginShard;
                    if (_perShard.TryGetValue(origin, out var s))
                    {
                        _perShard[origin] = (s.Submitted, s.Accepted, s.Finished + 1);
                    }
                }
            }
        }

        return outcomes.Count > 0;
    }

    private void SampleSkew()
    {
        var loads = _context.Fleet.Loads;
        var queued = _context.Manifest.Shards.Select(s => loads.TryGetValue(s.Id, out var l) ? l.Report.Queued : 0).ToArray();
        _skew.Sample(queued);
        lock (_gate)
        {
            for (var i = 0; i < queued.Length; i++)
            {
                var shard = _context.Manifest.Shards[i].Id;
                _peakQueue[shard] = Math.Max(_peakQueue[shard], queued[i]);
            }
        }
    }

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
        lock (_gate)
        {
            _events.Add($"{_context.Time.GetUtcNow():HH:mm:ss} {text}");
        }

        LogDrillEvent(Id, text);
    }

    private DrillProgress Snapshot(DrillState state, string? reportDirectory, DrillSummary? summary, IReadOnlyList<string> failures, string? error)
    {
        lock (_gate)
        {
            var loads = _context.Fleet.Loads;
            return new DrillProgress(
                Id,
                state,
                _context.Actor,
                _context.StartedAtMs,
                state is DrillState.Completed or DrillState.Failed ? Now : null,
                _context.Plan.JobsPerShard,
                _context.Plan.Seed,
                _perShard.Values.Sum(s => s.Submitted),
                _pacer.Accepted,
                _finished.Count,
                _perShard.ToDictionary(
                    p => p.Key,
                    p => new ShardProgress(p.Value.Submitted, p.Value.Accepted, p.Value.Finished, loads.TryGetValue(p.Key, out var l) ? l.Report.Queued : 0),
                    StringComparer.Ordinal),
                _events.ToArray(),
                reportDirectory,
                summary,
                failures,
                error);
        }
    }

    private long Now => _context.Time.GetUtcNow().ToUnixTimeMilliseconds();

    [LoggerMessage(Level = LogLevel.Information, Message = "Drill {DrillId}: {Text}")]
    private partial void LogDrillEvent(string drillId, string text);

}
