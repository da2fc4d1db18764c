using Planetary.Contracts;
using Planetary.Fabric.Drills;
using Planetary.Fabric.Reporting;

namespace Planetary.Fabric.Runtime.Drills;

/// <summary>
/// The outcome of an owner parameter change made through the owner's audited path. <see cref="Unavailable"/>: nothing
/// was changed because the state store did not answer; the same change may be tried again.
/// </summary>
public sealed record OwnerChangeOutcome(bool Succeeded, string? Before, string? After, long Version, long AtMs, string? Problem, bool Unavailable = false);

/// <summary>Whether a fault was injected, and what was done, in words.</summary>
public sealed record FaultInjected(bool Injected, string Description);

/// <summary>
/// The fleet a drill runs against, as the drill engine sees it: the live fleet through RabbitMQ, Redis and owner
/// control, or the simulated one. Faults are injected for real on either.
/// </summary>
public interface IDrillFleet
{
    /// <summary>Hands a batch of the drill's jobs to its shard's router.</summary>
    ValueTask SubmitAsync(SubmitJobs batch, CancellationToken cancellationToken);

    /// <summary>Takes a node offline: it stops heartbeating and loses its running work.</summary>
    ValueTask TakeNodeOfflineAsync(NodeOutage outage, string actor, CancellationToken cancellationToken);

    /// <summary>Kills the shard's router process without a shutdown (the fleet restarts it).</summary>
    ValueTask<FaultInjected> CrashRouterAsync(RouterCrash crash, string actor, CancellationToken cancellationToken);

    /// <summary>Changes an owner parameter through the audited path (validated, logged, versioned, broadcast).</summary>
    ValueTask<OwnerChangeOutcome> ChangeParameterAsync(OwnerChange change, string actor, CancellationToken cancellationToken);

    /// <summary>Final outcomes in the books for these jobs (a job missing has not finished).</summary>
    ValueTask<IReadOnlyDictionary<string, JobOutcome>> OutcomesAsync(IReadOnlyCollection<string> jobIds, CancellationToken cancellationToken);

    /// <summary>The last known queue depth of a shard.</summary>
    int QueueDepth(string shardId);

    /// <summary>Every router start seen so far (what each restored, measured by the process itself).</summary>
    IReadOnlyList<RouterResumed> Resumes { get; }

    /// <summary>Each node agent's latest account of itself (cumulative since its process started).</summary>
    IReadOnlyDictionary<string, NodeStatusReported> NodeReports { get; }

    /// <summary>Checkpoints written between two times.</summary>
    ValueTask<IReadOnlyList<CheckpointRecord>> CheckpointsAsync(long sinceMs, long untilMs, CancellationToken cancellationToken);

    /// <summary>Owner log entries since a time.</summary>
    ValueTask<IReadOnlyList<OwnerLogEntry>> OwnerLogAsync(long sinceMs, CancellationToken cancellationToken);

    /// <summary>The timeline events of these jobs, in time order.</summary>
    ValueTask<IReadOnlyList<TimelineEvent>> TimelineAsync(IReadOnlyCollection<string> jobIds, CancellationToken cancellationToken);
}
