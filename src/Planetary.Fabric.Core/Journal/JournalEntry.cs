using System.Text.Json.Serialization;
using Planetary.Contracts;

namespace Planetary.Fabric.Journal;

/// <summary>
/// One state change of a shard router. A router's state is exactly the fold of its entries over its latest
/// snapshot (<see cref="Routing.RouterState.Apply"/>); entries are written to the journal before any effect.
/// What other services last reported — a node's last heartbeat time, an ally's load — are observations, not state:
/// they are not journaled, a restart resets them (<see cref="RouterRecovered"/>), and fresh reports rebuild them
/// within one heartbeat interval.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "$e")]
[JsonDerivedType(typeof(JobAccepted), "accepted")]
[JsonDerivedType(typeof(JobAssigned), "assigned")]
[JsonDerivedType(typeof(AttemptFailed), "attemptFailed")]
[JsonDerivedType(typeof(JobCompleted), "completed")]
[JsonDerivedType(typeof(JobFailed), "failed")]
[JsonDerivedType(typeof(JobCancelled), "cancelled")]
[JsonDerivedType(typeof(CancelDeferred), "cancelDeferred")]
[JsonDerivedType(typeof(JobsSentToShard), "sent")]
[JsonDerivedType(typeof(TransferResent), "resent")]
[JsonDerivedType(typeof(TransferSettled), "settled")]
[JsonDerivedType(typeof(TransferRefused), "refused")]
[JsonDerivedType(typeof(NodeRegistered), "nodeRegistered")]
[JsonDerivedType(typeof(NodeHeartbeatReceived), "heartbeat")]
[JsonDerivedType(typeof(NodeMarkedOffline), "nodeOffline")]
[JsonDerivedType(typeof(NodeDrainStarted), "drainStarted")]
[JsonDerivedType(typeof(AttemptWithdrawn), "attemptWithdrawn")]
[JsonDerivedType(typeof(NodeDrained), "drained")]
[JsonDerivedType(typeof(NodeResumed), "nodeResumed")]
[JsonDerivedType(typeof(ParametersAdopted), "parameters")]
[JsonDerivedType(typeof(TombstonesExpired), "tombstonesExpired")]
[JsonDerivedType(typeof(RouterRecovered), "recovered")]
[JsonDerivedType(typeof(JobRequeued), "requeued")]
public abstract record JournalEntry(long Tick);

/// <summary>A job joined this shard's queue, from a submission or a transfer (<paramref name="FromShard"/>).</summary>
public sealed record JobAccepted(
    long Tick,
    string JobId,
    string Template,
    string OriginShard,
    int Hops,
    int AttemptsUsed,
    long SubmittedAtMs,
    string? FromShard,
    string? TraceParent = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] int AttemptsWithdrawn = 0) : JournalEntry(Tick);

/// <summary>
/// The owner put a job that failed here back in the queue. Its attempt numbers go on from <paramref name="AttemptsUsed"/>
/// (a late report of an earlier attempt stays recognisable), and none of those count against <c>routers.maxAttempts</c>.
/// </summary>
public sealed record JobRequeued(
    long Tick,
    string JobId,
    string Template,
    string OriginShard,
    int Hops,
    int AttemptsUsed,
    long SubmittedAtMs,
    string Actor,
    string? TraceParent = null) : JournalEntry(Tick);

/// <summary>Attempt number <paramref name="Attempt"/> of a queued job was handed to a node.</summary>
public sealed record JobAssigned(long Tick, string JobId, string NodeId, int Attempt) : JournalEntry(Tick);

/// <summary>A running attempt ended without success; the job goes back to the front of the queue.</summary>
public sealed record AttemptFailed(long Tick, string JobId, int Attempt, string NodeId, AttemptFailure Failure, string Reason) : JournalEntry(Tick);

public enum AttemptFailure
{
    /// <summary>The node ran it and reported failure.</summary>
    NodeReported,

    /// <summary>The attempt ran past the job timeout.</summary>
    TimedOut,

    /// <summary>The node went silent, restarted, or does not list the attempt in its heartbeat.</summary>
    Lost,
}

/// <summary>Terminal: the job succeeded (recorded once).</summary>
public sealed record JobCompleted(long Tick, string JobId, int Attempt, string NodeId) : JournalEntry(Tick);

/// <summary>Terminal: the job ran out of attempts, or can run nowhere.</summary>
public sealed record JobFailed(long Tick, string JobId, string Reason) : JournalEntry(Tick);

/// <summary>Terminal: the owner cancelled the job.</summary>
public sealed record JobCancelled(long Tick, string JobId, string Reason) : JournalEntry(Tick);

/// <summary>
/// The owner cancelled a job while it was moving to an ally: the cancellation waits for the transfer to settle, then
/// follows the job there (accepted) or ends it here (returned).
/// </summary>
public sealed record CancelDeferred(long Tick, string JobId, string Actor) : JournalEntry(Tick);

/// <summary>Queued jobs left for an ally and wait there until it settles the transfer.</summary>
public sealed record JobsSentToShard(long Tick, string TransferId, string ToShard, TransferReason Reason, IReadOnlyList<string> JobIds) : JournalEntry(Tick);

/// <summary>An unsettled transfer was sent again.</summary>
public sealed record TransferResent(long Tick, string TransferId) : JournalEntry(Tick);

/// <summary>The ally journaled <paramref name="Accepted"/> (they leave this shard) and refused <paramref name="Rejected"/> (they return to the queue).</summary>
public sealed record TransferSettled(long Tick, string TransferId, IReadOnlyList<string> Accepted, IReadOnlyList<string> Rejected, string? RejectionReason) : JournalEntry(Tick);

/// <summary>
/// This router refused these jobs of an incoming transfer. Remembered so that a redelivery of the same transfer
/// gets the same answer (answering differently could leave a job on two shards).
/// </summary>
public sealed record TransferRefused(long Tick, string TransferId, IReadOnlyList<JobRejection> Jobs) : JournalEntry(Tick);

/// <summary>A node joined (or re-joined) with these capabilities and slots; it is online.</summary>
public sealed record NodeRegistered(long Tick, string NodeId, IReadOnlyList<string> Capabilities, int Slots) : JournalEntry(Tick);

/// <summary>A node that was offline is heard from again (routine heartbeats are observations, not journaled).</summary>
public sealed record NodeHeartbeatReceived(long Tick, string NodeId) : JournalEntry(Tick);

/// <summary>A node was silent past the grace period.</summary>
public sealed record NodeMarkedOffline(long Tick, string NodeId) : JournalEntry(Tick);

/// <summary>
/// The owner's parameters say the node drains (<c>nodes.{id}.draining</c>): it gets no new work; what still runs at
/// <paramref name="DeadlineTick"/> is withdrawn.
/// </summary>
public sealed record NodeDrainStarted(long Tick, string NodeId, long DeadlineTick) : JournalEntry(Tick);

/// <summary>
/// A draining node's attempt was still running at the drain's deadline: the router takes it back (it is stopped on the
/// node) and the job goes to the front of the queue; the attempt is not charged against the job's attempts.
/// </summary>
public sealed record AttemptWithdrawn(long Tick, string JobId, int Attempt, string NodeId, string Reason) : JournalEntry(Tick);

/// <summary>A draining node runs nothing any more: it is drained, and takes no work until resumed.</summary>
public sealed record NodeDrained(long Tick, string NodeId) : JournalEntry(Tick);

/// <summary>The owner's parameters no longer drain the node: it takes work again while online.</summary>
public sealed record NodeResumed(long Tick, string NodeId) : JournalEntry(Tick);

/// <summary>The router adopted the owner's parameter values at this version.</summary>
public sealed record ParametersAdopted(long Tick, long Version, IReadOnlyDictionary<string, string> Values) : JournalEntry(Tick);

/// <summary>Ids of jobs that finished or moved before <paramref name="UpToTick"/> are forgotten.</summary>
public sealed record TombstonesExpired(long Tick, long UpToTick) : JournalEntry(Tick);

/// <summary>The router restarted from a snapshot and journal tail: node clocks restart, ally views go stale.</summary>
public sealed record RouterRecovered(long Tick, string? SnapshotId, int EntriesReplayed) : JournalEntry(Tick);
