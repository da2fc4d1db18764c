namespace Planetary.Fabric.Routing;

public enum RouterJobStatus
{
    Queued,
    Running,

    /// <summary>Sent to an ally; still ours until the ally settles the transfer.</summary>
    InTransfer,
}

/// <summary>A live job held by a shard router (queued, running, or in transfer). Finished jobs leave only a tombstone.</summary>
public sealed class RouterJob
{
    public required string Id { get; init; }

    public required string Template { get; init; }

    /// <summary>The capabilities the job needs, as a mask over the manifest's capability list.</summary>
    public required ulong Mask { get; init; }

    public required string OriginShard { get; init; }

    /// <summary>How many times the job has moved between shards.</summary>
    public required int Hops { get; init; }

    /// <summary>Attempts started so far, across every shard the job has been on.</summary>
    public int Attempts { get; set; }

    public required long SubmittedAtMs { get; init; }

    /// <summary>W3C trace context of the job's submission, carried so one trace follows it across services.</summary>
    public string? TraceParent { get; init; }

    public required long AcceptedTick { get; init; }

    /// <summary>The tick the job arrived here by transfer (it is not moved again within the cooldown), or -1.</summary>
    public required long ArrivedByTransferTick { get; init; }

    /// <summary>The shard this job came from by its last transfer (it is never spilled straight back), or null.</summary>
    public string? ArrivedFrom { get; init; }

    public RouterJobStatus Status { get; set; }

    /// <summary>Position in the queue: lower runs first. Unique within a router.</summary>
    public long QueueSeq { get; set; }

    public string? NodeId { get; set; }

    public long AssignedTick { get; set; }

    public string? TransferId { get; set; }

    public string? LastFailure { get; set; }
}

/// <summary>A router's view of one node of its shard.</summary>
public sealed class NodeView
{
    public required string Id { get; init; }

    public ulong Mask { get; set; }

    public int Slots { get; set; }

    public bool Online { get; set; }

    /// <summary>Registered by the node itself (not only declared in the manifest).</summary>
    public bool Registered { get; set; }

    /// <summary>When the node was last heard from: an observation, updated by every heartbeat without a journal entry.</summary>
    public long LastSeenTick { get; set; }

    /// <summary>Ids of the jobs this router has running on the node.</summary>
    public SortedSet<string> Running { get; } = new(StringComparer.Ordinal);

    public int FreeSlots => Math.Max(0, Slots - Running.Count);
}

/// <summary>What a router last heard of an allied shard's load (an observation: not journaled, reset on recovery).</summary>
public sealed class AllyView
{
    public required string ShardId { get; init; }

    public long ObservedTick { get; set; } = long.MinValue;

    public int ReportedQueued { get; set; }

    /// <summary>Jobs this router sent since the ally's last report (so the estimate does not lag).</summary>
    public int SentSinceReport { get; set; }

    public bool Accepting { get; set; }

    public ulong[] OnlineNodeMasks { get; set; } = [];

    public ulong[] KnownNodeMasks { get; set; } = [];

    /// <summary>Hysteresis: spilling to this ally continues until the gap falls to half the threshold.</summary>
    public bool Spilling { get; set; }

    public int EstimatedQueued => ReportedQueued + SentSinceReport;

    public bool CanRunOnline(ulong jobMask) => OnlineNodeMasks.Any(m => Manifest.CapabilityIndex.CanRun(m, jobMask));

    public bool CanRunKnown(ulong jobMask) => KnownNodeMasks.Any(m => Manifest.CapabilityIndex.CanRun(m, jobMask));
}

/// <summary>Jobs sent to an ally and not yet settled.</summary>
public sealed class OutgoingTransfer
{
    public required string Id { get; init; }

    public required string ToShard { get; init; }

    public required Contracts.TransferReason Reason { get; init; }

    public required IReadOnlyList<string> JobIds { get; init; }

    public long LastSentTick { get; set; }

    public int Sends { get; set; }
}

public enum TombstoneKind
{
    Completed,
    Failed,
    Cancelled,
    MovedToAlly,
}

/// <summary>
/// What a router remembers of a job that left it, so a redelivered message cannot bring it back. <see cref="Hops"/>
/// is the job's hop count while it was here: a job that moved on and genuinely returns arrives with more hops.
/// </summary>
public readonly record struct Tombstone(TombstoneKind Kind, long Tick, int Hops);

/// <summary>Measured totals of one router, folded from its journal (they survive restarts).</summary>
public sealed class RouterCounters
{
    public long Submitted { get; set; }

    public long ArrivedByTransfer { get; set; }

    public long Assignments { get; set; }

    public long AttemptsFailed { get; set; }

    public long Completed { get; set; }

    public long Failed { get; set; }

    public long Cancelled { get; set; }

    public long SpilledOut { get; set; }

    public long ForwardedOut { get; set; }

    public long Spillovers { get; set; }

    public long TransferRejections { get; set; }

    public long Recoveries { get; set; }

    public RouterCounters Clone() => (RouterCounters)MemberwiseClone();
}
