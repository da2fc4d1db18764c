using System.Text.Json.Serialization;

namespace Planetary.Contracts;

/// <summary>Event: a router's load, published to every router so allies can decide spillover.</summary>
public sealed record ShardLoadReported(
    string ShardId,
    long Tick,
    int Queued,
    int Running,
    int FreeSlots,
    bool AcceptingTransfers,
    IReadOnlyList<IReadOnlyList<string>> OnlineNodeCapabilities,
    IReadOnlyList<IReadOnlyList<string>> KnownNodeCapabilities,
    long ParameterVersion);

/// <summary>Why jobs move between shards.</summary>
public enum TransferReason
{
    /// <summary>Backlog spillover to a less loaded ally.</summary>
    Spillover,

    /// <summary>No node of the sending shard can ever run the job.</summary>
    Forward,
}

/// <summary>
/// A job as it moves to another shard: its identity and history travel with it. <c>AttemptsUsed</c> counts every attempt
/// started; <c>AttemptsWithdrawn</c> those of them the owner's drains took back (they are not charged).
/// </summary>
public sealed record TransferredJob(
    string JobId,
    string Template,
    string OriginShard,
    int Hops,
    int AttemptsUsed,
    long SubmittedAtMs,
    string? TraceParent = null,
    int AttemptsWithdrawn = 0);

/// <summary>Command to a router: take these jobs from an ally. Resent until settled.</summary>
public sealed record TransferJobs(string TransferId, string FromShard, string ToShard, TransferReason Reason, IReadOnlyList<TransferredJob> Jobs);

/// <summary>Command back to the sender of a transfer: which jobs the receiver journaled, and which it refused.</summary>
public sealed record SettleTransfer(string TransferId, string FromShard, string ToShard, IReadOnlyList<string> Accepted, IReadOnlyList<JobRejection> Rejected);

/// <summary>Event: a router process started and rebuilt its state.</summary>
public sealed record RouterResumed(
    string ShardId,
    bool ResumedFromCheckpoint,
    string? SnapshotId,
    long SnapshotTick,
    string? SnapshotJournalPosition,
    int JournalEntriesReplayed,
    int JobsRestored,
    long Tick,
    string InstanceId,
    int ProcessId = 0,
    long StartedAtMs = 0,
    long RecoveredAtMs = 0);

/// <summary>Event: a router's full status (published every status interval) for owner control and the drill.</summary>
public sealed record ShardStatusReported(
    string ShardId,
    long Tick,
    bool Paused,
    long ParameterVersion,
    int Queued,
    int Running,
    int InTransfer,
    long Submitted,
    long ArrivedByTransfer,
    long Completed,
    long Failed,
    long Cancelled,
    long Assignments,
    long AttemptsFailed,
    long Spillovers,
    long SpilledOut,
    long ForwardedOut,
    long Recoveries,
    IReadOnlyList<ShardNodeStatus> Nodes,
    string InstanceId,
    int ProcessId);

/// <summary>A router's view of one node, inside <see cref="ShardStatusReported"/>.</summary>
/// <param name="Drain">Whether the owner is draining the node or has drained it (then it takes no work while online).</param>
/// <param name="DrainDeadlineTick">While draining: the tick at which what still runs is withdrawn.</param>
public sealed record ShardNodeStatus(
    string NodeId, bool Online, bool Registered, int Running, int Slots, IReadOnlyList<string> Capabilities, long LastSeenTick,
    NodeDrainState Drain = NodeDrainState.None, long? DrainDeadlineTick = null);

/// <summary>Where a node stands in a drain the owner asked for.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<NodeDrainState>))]
public enum NodeDrainState
{
    /// <summary>Not drained: it takes work while online.</summary>
    [JsonStringEnumMemberName("none")]
    None,

    /// <summary>Takes no new work; its running attempts finish (or are withdrawn at the deadline).</summary>
    [JsonStringEnumMemberName("draining")]
    Draining,

    /// <summary>Drained: takes no work until the owner resumes it.</summary>
    [JsonStringEnumMemberName("drained")]
    Drained,
}

/// <summary>
/// Command to a router (a drill fault): exit at once, without shutting down, as kill -9 would. It names the process
/// instance it kills (from the router's status report), so the restarted instance ignores a redelivered copy; null
/// kills whichever instance takes it.
/// </summary>
public sealed record CrashRouter(string ShardId, string Actor, string? InstanceId = null);

/// <summary>Command to the checkpointer: snapshot every router now (or one shard).</summary>
public sealed record CheckpointNow(string? ShardId, string Actor);

/// <summary>Event: the checkpointer wrote a snapshot (metadata only).</summary>
public sealed record CheckpointWritten(
    string ShardId,
    string SnapshotId,
    long Tick,
    string JournalPosition,
    int Jobs,
    int Tombstones,
    long SizeBytes,
    long JournalEntriesTrimmed,
    long AtMs);
