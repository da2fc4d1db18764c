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
    public int Attempts { get; internal set; }

    /// <summary>Attempts of <see cref="Attempts"/> that the owner's drains took back: they are not charged.</summary>
    public int AttemptsWithdrawn { get; internal set; }

    /// <summary>Attempts that count against <c>routers.maxAttempts</c>.</summary>
    public int AttemptsCharged => Attempts - AttemptsWithdrawn;

    public required long SubmittedAtMs { get; init; }

    /// <summary>W3C trace context of the job's submission, carried so one trace follows it across services.</summary>
    public string? TraceParent { get; init; }

    public required long AcceptedTick { get; init; }

    /// <summary>The tick the job arrived here by transfer (it is not moved again within the cooldown), or -1.</summary>
    public required long ArrivedByTransferTick { get; init; }

    /// <summary>The shard this job came from by its last transfer (it is never spilled straight back), or null.</summary>
    public string? ArrivedFrom { get; init; }

    public RouterJobStatus Status { get; internal set; }

    /// <summary>Position in the queue: lower runs first. Unique within a router.</summary>
    public long QueueSeq { get; internal set; }

    public string? NodeId { get; internal set; }

    public long AssignedTick { get; internal set; }

    public string? TransferId { get; internal set; }

    public string? LastFailure { get; internal set; }

    /// <summary>Who cancelled this job while it was in transfer (see <see cref="Journal.CancelDeferred"/>), or null.</summary>
    public string? CancelledWhileMovingBy { get; internal set; }
}
