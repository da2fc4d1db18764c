using System.Diagnostics;
using System.Diagnostics.Metrics;
using Planetary.Fabric.Routing;

namespace Planetary.ShardRouter;

/// <summary>The router's activity source and meter (<c>Planetary.ShardRouter</c>): queue depth, throughput, node health.</summary>
public sealed class RouterTelemetry : IDisposable
{
    public const string Name = "Planetary.ShardRouter";

    private readonly Meter _meter;
    private readonly Counter<long> _accepted;
    private readonly Counter<long> _completed;
    private readonly Counter<long> _failed;
    private readonly Counter<long> _attemptsFailed;
    private readonly Counter<long> _spilled;
    private readonly Histogram<double> _commitMs;
    private readonly Histogram<int> _batchSize;
    private readonly Counter<long> _alreadyInBooks;
    private readonly Counter<long> _quarantined;
    private readonly KeyValuePair<string, object?> _shardTag;
    private volatile Gauges _gauges = new(0, 0, 0, 0, 0);

    public RouterTelemetry(IMeterFactory meters, string shardId)
    {
        _shardTag = new("shard", shardId);
        _meter = meters.Create(Name);
        _accepted = _meter.CreateCounter<long>("fabric.jobs.accepted", "{job}", "Jobs journaled into this shard (submitted or transferred in).");
        _completed = _meter.CreateCounter<long>("fabric.jobs.completed", "{job}", "Jobs completed on this shard.");
        _failed = _meter.CreateCounter<long>("fabric.jobs.failed", "{job}", "Jobs failed on this shard after their last attempt.");
        _attemptsFailed = _meter.CreateCounter<long>("fabric.attempts.failed", "{attempt}", "Attempts that failed, timed out or were lost.");
        _spilled = _meter.CreateCounter<long>("fabric.jobs.moved", "{job}", "Jobs sent to an ally (spillover or forwarding).");
        _commitMs = _meter.CreateHistogram<double>("fabric.router.commit.duration", "ms", "Time to journal one batch of steps and send its effects.");
        _batchSize = _meter.CreateHistogram<int>("fabric.router.batch.size", "{input}", "Inputs handled in one journal commit (group commit).");
        _quarantined = _meter.CreateCounter<long>("fabric.inputs.quarantined", "{message}", "Malformed messages moved to the error queue before the core saw them.");
        _alreadyInBooks = _meter.CreateCounter<long>("fabric.books.duplicates", "{outcome}", "Outcomes the books already held when a commit wrote them (jobs finished twice: never expected).");
        _meter.CreateObservableGauge("fabric.shard.queue.depth", () => new Measurement<int>(_gauges.Queued, _shardTag), "{job}", "Jobs queued on this shard.");
        _meter.CreateObservableGauge("fabric.shard.running", () => new Measurement<int>(_gauges.Running, _shardTag), "{job}", "Jobs running on this shard's nodes.");
        _meter.CreateObservableGauge("fabric.shard.in_transfer", () => new Measurement<int>(_gauges.InTransfer, _shardTag), "{job}", "Jobs sent to an ally and not yet settled.");
        _meter.CreateObservableGauge("fabric.nodes.online", () => new Measurement<int>(_gauges.NodesOnline, _shardTag), "{node}", "Nodes of this shard heard from within the grace period.");
        _meter.CreateObservableGauge("fabric.nodes.offline", () => new Measurement<int>(_gauges.NodesOffline, _shardTag), "{node}", "Nodes of this shard declared offline (or never registered).");
    }

    public ActivitySource Source { get; } = new(Name);

    public void Committed(RouterState state, RouterStep step, int inputs, double elapsedMs)
    {
        _commitMs.Record(elapsedMs, _shardTag);
        _batchSize.Record(inputs, _shardTag);
        foreach (var entry in step.Entries)
        {
            switch (entry)
            {
                case Fabric.Journal.JobAccepted:
                    _accepted.Add(1, _shardTag);
                    break;
                case Fabric.Journal.JobCompleted:
                    _completed.Add(1, _shardTag);
                    break;
                case Fabric.Journal.JobFailed:
                    _failed.Add(1, _shardTag);
                    break;
                case Fabric.Journal.AttemptFailed:
                    _attemptsFailed.Add(1, _shardTag);
                    break;
                case Fabric.Journal.JobsSentToShard sent:
                    _spilled.Add(sent.JobIds.Count, _shardTag, new("reason", sent.Reason.ToString()));
                    break;
            }
        }

        var online = state.NodesInOrder.Count(n => n.Online);
        _gauges = new Gauges(state.Queue.Count, state.RunningCount, state.InTransferCount, online, state.Nodes.Count - online);
    }

    public void OutcomesAlreadyInBooks(int count) => _alreadyInBooks.Add(count, _shardTag);

    public void Quarantined() => _quarantined.Add(1, _shardTag);

    public void Dispose()
    {
        Source.Dispose();
        _meter.Dispose();
    }

    private sealed record Gauges(int Queued, int Running, int InTransfer, int NodesOnline, int NodesOffline);
}
