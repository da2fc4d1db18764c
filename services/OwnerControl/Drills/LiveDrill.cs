using Planetary.Fabric.Hosting.Messaging;
using Planetary.Fabric.Hosting.Redis;
using Planetary.Fabric.Reporting;
using Planetary.Fabric.Runtime.Drills;
using Planetary.Fabric.Runtime.Ports;
using Planetary.OwnerControl.Fleet;
using Planetary.Reporting;

namespace Planetary.OwnerControl.Drills;

/// <summary>
/// One drill on the live fleet: the shared <see cref="DrillEngine"/> driven by a timer at <c>routers.tickMs</c> against
/// the <see cref="LiveDrillFleet"/>, with the routers' answers fed in from owner control's queue. When the engine is
/// done it writes the report bundle. It decides nothing itself.
/// </summary>
public sealed partial class LiveDrill
{
    private readonly DrillContext _context;

    // The engine holds every seeded job's state for the run; it is let go once the drill has ended, while the history
    // keeps only its progress (figures, summary, failures) for the console and the API.
    private DrillEngine? _engine;
    private volatile DrillProgress _progress;

    public LiveDrill(DrillContext context)
    {
        _context = context;
        var fleet = new LiveDrillFleet(context.Id, context.Fleet, context.Dispatcher, context.Books, context.Parameters, context.Snapshots, context.Changer);
        var stallTicks = context.Options.StallTimeoutSeconds * 1000L / Math.Max(1, context.Manifest.Routers.TickMs);
        _engine = new DrillEngine(
            new DrillSetup(context.Id, context.JobPrefix, context.Actor, DrillMode.Live, context.Plan, context.Manifest, context.Genesis, stallTicks),
            fleet, context.Journal, context.SnapshotStore, context.Time);
        _engine.Noted += text => LogDrillEvent(context.Logger, context.Id, text);
        _progress = Snapshot(DrillState.Running, null, null, [], null);
    }

    public DrillProgress Progress => _progress;

    public string Id => _context.Id;

    /// <summary>Runs the drill to the end; never throws (a failure is reported in the progress).</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var engine = _engine ?? throw new InvalidOperationException($"drill {Id} has already run");
        _context.Fleet.JobsAccepted += engine.OnAccepted;
        try
        {
            await WaitForFleetAsync(cancellationToken);
            await engine.BeginAsync(cancellationToken);
            using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(_context.Manifest.Routers.TickMs), _context.Time);
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                var result = await engine.TickAsync(cancellationToken);
                _progress = Snapshot(DrillState.Running, null, null, [], null);
                if (result != DrillTickResult.Running)
                {
                    break;
                }
            }

            _progress = Snapshot(DrillState.Settling, null, null, [], null);
            var report = await engine.FinishAsync(cancellationToken);
            var directory = Write(report);
            _progress = Snapshot(DrillState.Completed, directory, report.Summary, report.AcceptanceFailures, null);
        }
        catch (Exception e)
        {
            var problem = e is StateStoreUnavailableException ? $"waiting for the state store failed: {e.Message}" : e.Message;
            LogDrillEvent(_context.Logger, Id, $"drill failed: {problem}");
            _progress = Snapshot(DrillState.Failed, null, null, [], problem);
        }
        finally
        {
            _context.Fleet.JobsAccepted -= engine.OnAccepted;
            _engine = null;
            ReturnTheRunsMemory();
        }
    }

    /// <summary>
    /// A drill is a burst: its engine grows to a few hundred MB for 40,000 jobs (measured: owner control 109 MB PSS
    /// before the acceptance drill, 303 MB right after it, 132 MB a minute later once a full collection had run). One
    /// compacting full collection when it ends gives that memory back now rather than at whatever later collection the
    /// service's own allocations cause. It runs once per drill and logs what it freed and how long it paused.
    /// </summary>
    private void ReturnTheRunsMemory()
    {
        var before = GC.GetTotalMemory(forceFullCollection: false);
        var started = _context.Time.GetTimestamp();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        var pause = _context.Time.GetElapsedTime(started);
        LogMemoryReturned(_context.Logger, Id, (before - GC.GetTotalMemory(forceFullCollection: false)) / (1024 * 1024), pause.TotalMilliseconds);
    }

    private async Task WaitForFleetAsync(CancellationToken cancellationToken)
    {
        var deadline = _context.Time.GetUtcNow().AddSeconds(_context.Options.FleetReadyTimeoutSeconds);
        while (true)
        {
            var missing = _context.Manifest.Shards.Select(s => s.Id).Where(id => !_context.Fleet.Shards.ContainsKey(id) || !_context.Fleet.Loads.ContainsKey(id)).ToArray();
            if (missing.Length == 0)
            {
                return;
            }

            if (_context.Time.GetUtcNow() > deadline)
            {
                throw new InvalidOperationException($"routers of [{string.Join(", ", missing)}] have not reported within {_context.Options.FleetReadyTimeoutSeconds} s: is the fleet running?");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200), _context.Time, cancellationToken);
        }
    }

    /// <summary>Writes the report bundle to <c>{reports}/{drill id}/</c> and a copy to <c>{reports}/latest/</c>.</summary>
    private string Write(DrillReport report)
    {
        var status = new TopologyStatus(
            _context.Fleet.Loads.ToDictionary(l => l.Key, l => l.Value.Report.Queued, StringComparer.Ordinal),
            _context.Fleet.Shards.Values.SelectMany(s => s.Report.Nodes).Where(n => !n.Online).Select(n => n.NodeId).ToHashSet(StringComparer.Ordinal),
            _context.Fleet.Shards.Values.Where(s => s.Report.Paused).Select(s => s.Report.ShardId).ToHashSet(StringComparer.Ordinal));
        var bundle = new ReportBundle(
            report.Summary, report.Nodes, report.OwnerLog, report.Checkpoints, TopologyDiagram.Render(_context.Manifest, status), report.Timeline);
        var root = Path.GetFullPath(_context.Options.ReportsDirectory);
        var directory = Path.Combine(root, _context.Id);
        ReportBundleWriter.Write(directory, bundle);
        var latest = Path.Combine(root, "latest");
        if (Directory.Exists(latest))
        {
            Directory.Delete(latest, recursive: true);
        }

        ReportBundleWriter.Write(latest, bundle);
        LogDrillEvent(_context.Logger, Id, $"report written to {directory}");
        return directory;
    }

    private DrillProgress Snapshot(DrillState state, string? reportDirectory, DrillSummary? summary, IReadOnlyList<string> failures, string? error)
    {
        var figures = (_engine ?? throw new InvalidOperationException($"drill {Id} has ended: its progress is final")).Figures();
        return new DrillProgress(
            Id,
            state,
            _context.Actor,
            _context.StartedAtMs,
            state is DrillState.Completed or DrillState.Failed ? _context.Time.GetUtcNow().ToUnixTimeMilliseconds() : null,
            _context.Plan.JobsPerShard,
            _context.Plan.Seed,
            figures.Submitted,
            figures.Accepted,
            figures.Finished,
            figures.Shards.ToDictionary(p => p.Key, p => new ShardProgress(p.Value.Submitted, p.Value.Accepted, p.Value.Finished, p.Value.Queued), StringComparer.Ordinal),
            figures.Events,
            reportDirectory,
            summary,
            failures,
            error);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Drill {DrillId}: its run's memory returned, {FreedMb} MB of managed heap freed in a {PauseMs:0} ms collection")]
    private static partial void LogMemoryReturned(ILogger logger, string drillId, long freedMb, double pauseMs);

    [LoggerMessage(Level = LogLevel.Information, Message = "Drill {DrillId}: {Text}")]
    private static partial void LogDrillEvent(ILogger logger, string drillId, string text);
}
