using System.Diagnostics;
using Planetary.Contracts;
using Planetary.Fabric.Drills;
using Planetary.Fabric.Hosting.Messaging;
using Planetary.Fabric.Hosting.Redis;
using Planetary.Fabric.Reporting;
using Planetary.Fabric.Runtime.Drills;
using Planetary.Fabric.Runtime.Ports;
using Planetary.OwnerControl.Fleet;

namespace Planetary.OwnerControl.Drills;

/// <summary>
/// The live fleet as the drill engine sees it: jobs and faults go out over RabbitMQ (a node is told to go silent, a
/// router process is told to exit as kill -9 would, naming its instance), owner changes go through owner control's
/// audited path, and what happened is read from the books and the services' own reports.
/// </summary>
public sealed class LiveDrillFleet(
    string drillId,
    FleetView fleet,
    EffectDispatcher dispatcher,
    Books books,
    ParameterStore parameters,
    RedisSnapshotStore snapshots,
    IOwnerParameterChanger changer) : IDrillFleet
{
    private static readonly ActivitySource Source = new("Planetary.OwnerControl.Drills");

    public async ValueTask SubmitAsync(SubmitJobs batch, CancellationToken cancellationToken)
    {
        // A root span per batch: sampled at Telemetry:RootSampleRatio, so some drill jobs are traced end to end.
        using var span = Source.StartActivity("drill batch", ActivityKind.Producer);
        span?.SetTag("planetary.shard", batch.ShardId);
        span?.SetTag("planetary.drill", drillId);
        var traceParent = span?.Recorded == true ? span.Id : null;
        var message = traceParent is null ? batch : batch with { Jobs = batch.Jobs.Select(j => j with { TraceParent = traceParent }).ToArray() };
        await Broker(token => dispatcher.SendAsync(Queues.Router(batch.ShardId), message, token), cancellationToken);
    }

    public async ValueTask TakeNodeOfflineAsync(NodeOutage outage, string actor, CancellationToken cancellationToken) =>
        await Broker(token => dispatcher.SendAsync(Queues.Node(outage.NodeId), new TakeNodeOffline(outage.NodeId, outage.Ticks, actor), token), cancellationToken);

    public async ValueTask<FaultInjected> CrashRouterAsync(RouterCrash crash, string actor, CancellationToken cancellationToken)
    {
        if (!fleet.Shards.TryGetValue(crash.ShardId, out var heard))
        {
            return new FaultInjected(false, $"router {crash.ShardId} has not reported which process serves it");
        }

        await Broker(token => dispatcher.SendAsync(Queues.Router(crash.ShardId), new CrashRouter(crash.ShardId, actor, heard.Report.InstanceId), token), cancellationToken);
        return new FaultInjected(true, $"process {heard.Report.ProcessId} exits without shutting down; the app host starts it again");
    }

    public async ValueTask<OwnerChangeOutcome> ChangeParameterAsync(OwnerChange change, string actor, CancellationToken cancellationToken) =>
        await changer.ChangeAsync(change.Path, change.Value, actor, cancellationToken);

    public async ValueTask<IReadOnlyDictionary<string, JobOutcome>> OutcomesAsync(IReadOnlyCollection<string> jobIds, CancellationToken cancellationToken) =>
        await StateStore.Call(() => books.OutcomesAsync(jobIds));

    /// <summary>Sends through the broker, turning "it did not take the message within 5 s" into <see cref="BrokerUnavailableException"/>.</summary>
    private static async Task Broker(Func<CancellationToken, Task> send, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(TimeSpan.FromSeconds(5));
        try
        {
            await send(deadline.Token);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new BrokerUnavailableException($"the broker (RabbitMQ) did not take the message: {e.Message}", e);
        }
    }

    public int QueueDepth(string shardId) => fleet.Loads.TryGetValue(shardId, out var load) ? load.Report.Queued : 0;

    public IReadOnlyList<RouterResumed> Resumes => fleet.Resumes.ToArray();

    public IReadOnlyDictionary<string, NodeStatusReported> NodeReports => fleet.Nodes.ToDictionary(n => n.Key, n => n.Value.Report, StringComparer.Ordinal);

    public async ValueTask<IReadOnlyList<CheckpointRecord>> CheckpointsAsync(long sinceMs, long untilMs, CancellationToken cancellationToken) =>
        (await StateStore.Call(() => snapshots.RecentCheckpointsAsync())).Where(c => c.AtMs >= sinceMs && c.AtMs <= untilMs).ToArray();

    public async ValueTask<IReadOnlyList<OwnerLogEntry>> OwnerLogAsync(long sinceMs, CancellationToken cancellationToken) =>
        (await StateStore.Call(() => parameters.OwnerLogAsync())).Where(e => e.AtMs >= sinceMs).ToArray();

    public async ValueTask<IReadOnlyList<TimelineEvent>> TimelineAsync(IReadOnlyCollection<string> jobIds, CancellationToken cancellationToken) =>
        (await StateStore.Call(() => books.TimelinesAsync(jobIds)))
            .Select(e => new TimelineEvent(e.Tick, e.Job, e.Event, e.Shard, e.Node, e.Attempt, e.Detail, e.AtMs))
            .OrderBy(e => e.AtMs).ThenBy(e => e.JobId, StringComparer.Ordinal).ToArray();
}
