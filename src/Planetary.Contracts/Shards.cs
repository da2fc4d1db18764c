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

/// <summary>A job as it moves to another shard: its identity and history travel with it.</summary>
public sealed record TransferredJob(
    string JobId,
    string Template,
    string OriginShard,
    int Hops,
    int AttemptsUsed,
    long SubmittedAtMs);

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
    long SnapshotJournalPosition,
    int JournalEntriesReplayed,
    int JobsRestored,
    long Tick,
    string InstanceId);
