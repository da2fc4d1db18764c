using Planetary.Contracts;
using Planetary.Fabric.Drills;
using Planetary.Fabric.Effects;
using Planetary.Fabric.Reporting;
using Planetary.Fabric.Runtime.Drills;

namespace Planetary.Fabric.Simulation;

/// <summary>The simulated fleet as the drill engine sees it: the same operations as the live fleet, on simulated processes.</summary>
internal sealed class SimulatedFleet(Simulation simulation) : IDrillFleet, IFinishedJobsFeed
{
    public ValueTask SubmitAsync(SubmitJobs batch, CancellationToken cancellationToken)
    {
        simulation.Send(new Send(Address.Router(batch.ShardId), batch));
        simulation.Sent(batch);
        return ValueTask.CompletedTask;
    }

    public ValueTask TakeNodeOfflineAsync(NodeOutage outage, string actor, CancellationToken cancellationToken)
    {
        simulation.Send(new Send(Address.Node(outage.NodeId), new TakeNodeOffline(outage.NodeId, outage.Ticks, actor)));
        return ValueTask.CompletedTask;
    }

    public ValueTask<FaultInjected> CrashRouterAsync(RouterCrash crash, string actor, CancellationToken cancellationToken)
    {
        simulation.KillRouter(crash.ShardId, crash.DownTicks);
        return ValueTask.FromResult(new FaultInjected(true, $"its process killed, memory lost; the supervisor starts it again in {crash.DownTicks} ticks"));
    }

    public ValueTask<OwnerChangeOutcome> ChangeParameterAsync(OwnerChange change, string actor, CancellationToken cancellationToken) =>
        ValueTask.FromResult(simulation.ChangeParameter(change, actor));

    public ValueTask<IReadOnlyDictionary<string, JobOutcome>> OutcomesAsync(IReadOnlyCollection<string> jobIds, CancellationToken cancellationToken)
    {
        var books = simulation.Books;
        var found = new Dictionary<string, JobOutcome>(StringComparer.Ordinal);
        foreach (var id in jobIds)
        {
            if (books.TryGetValue(id, out var outcome))
            {
                found[id] = outcome;
            }
        }

        return ValueTask.FromResult<IReadOnlyDictionary<string, JobOutcome>>(found);
    }

    public void TakeFinishedSince(List<string> into) => simulation.TakeFinishedSince(into);

    public int QueueDepth(string shardId) => simulation.QueueDepth(shardId);

    public IReadOnlyList<RouterResumed> Resumes => simulation.Resumes;

    public IReadOnlyDictionary<string, NodeStatusReported> NodeReports => simulation.NodeReports();

    public ValueTask<IReadOnlyList<CheckpointRecord>> CheckpointsAsync(long sinceMs, long untilMs, CancellationToken cancellationToken) =>
        ValueTask.FromResult<IReadOnlyList<CheckpointRecord>>(simulation.CheckpointRecords.Where(c => c.AtMs >= sinceMs && c.AtMs <= untilMs).ToArray());

    public ValueTask<IReadOnlyList<OwnerLogEntry>> OwnerLogAsync(long sinceMs, CancellationToken cancellationToken) =>
        ValueTask.FromResult<IReadOnlyList<OwnerLogEntry>>(simulation.OwnerLog.Where(e => e.AtMs >= sinceMs).ToArray());

    public ValueTask<IReadOnlyList<TimelineEvent>> TimelineAsync(IReadOnlyCollection<string> jobIds, CancellationToken cancellationToken)
    {
        var wanted = jobIds as IReadOnlySet<string> ?? jobIds.ToHashSet(StringComparer.Ordinal);
        var timeline = simulation.Timeline;
        var events = new TimelineEvent[timeline.Count]; // sized once (usually every event is wanted), not doubled
        var count = 0;
        for (var i = 0; i < timeline.Count; i++)
        {
            if (wanted.Contains(timeline[i].JobId))
            {
                events[count++] = timeline[i];
            }
        }

        Array.Resize(ref events, count);
        return ValueTask.FromResult<IReadOnlyList<TimelineEvent>>(events);
    }
}
