namespace Planetary.Contracts;

/// <summary>
/// One job as submitted to a shard. <paramref name="SubmittedAtMs"/> (for latency figures) and
/// <paramref name="TraceParent"/> (W3C trace context, so one trace follows the job across services) travel with the
/// job unchanged.
/// </summary>
public sealed record JobSubmission(string JobId, string Template, long SubmittedAtMs, string? TraceParent = null);

/// <summary>Command to a shard router: accept these jobs into its queue.</summary>
public sealed record SubmitJobs(string SubmissionId, string ShardId, IReadOnlyList<JobSubmission> Jobs);

/// <summary>Why a router refused a job (the reason says it in words).</summary>
public enum RefusalKind
{
    /// <summary>The shard's queue is at <c>maxQueueDepth</c>: try again later.</summary>
    QueueFull,

    /// <summary>No job template has this name.</summary>
    UnknownTemplate,

    /// <summary>The id already names a job submitted to another shard (a job id means one job).</summary>
    IdTaken,

    /// <summary>The shard is paused and takes no transferred work.</summary>
    Paused,

    /// <summary>No online node of the shard can run the job (transfers only).</summary>
    NoNodeCanRun,
}

/// <summary>A job a router refused, and why; <paramref name="Template"/>: the template a refused submission named.</summary>
public sealed record JobRejection(string JobId, string Reason, RefusalKind Kind = RefusalKind.QueueFull, string? Template = null);

/// <summary>
/// Event: a router's answer to <see cref="SubmitJobs"/>. <paramref name="Accepted"/>: the jobs this shard holds or held
/// for these ids, journaled; <paramref name="Known"/>: those of them that were already known before this submission (they
/// run nothing again); <paramref name="Rejected"/>: refused, with the reason.
/// </summary>
public sealed record JobsAccepted(string SubmissionId, string ShardId, IReadOnlyList<string> Accepted, IReadOnlyList<JobRejection> Rejected, IReadOnlyList<string>? Known = null);

/// <summary>What the fabric already knows of a job id: the shard it was submitted to, and its final outcome if it has one.</summary>
public sealed record KnownJob(string JobId, string ShardId, JobOutcomeKind? Outcome);

/// <summary>Command to a router: cancel a job that has not finished.</summary>
public sealed record CancelJob(string ShardId, string JobId, string Actor);

/// <summary>
/// Command to a router: put jobs that failed on this shard (they exhausted their attempts) back in its queue with a fresh
/// allowance of attempts. The router checks each id against the books; a job that did not fail here is left as it is.
/// </summary>
public sealed record RequeueJobs(string ShardId, IReadOnlyList<string> JobIds, string Actor);

/// <summary>A job and attempt, the key every consumer is idempotent on.</summary>
public sealed record JobAttemptRef(string JobId, int Attempt);

/// <summary>How a job ended, as recorded once in the books.</summary>
public enum JobOutcomeKind
{
    Completed,
    Failed,
    Cancelled,
}

/// <summary>The final record of one job.</summary>
public sealed record JobOutcome(
    string JobId,
    JobOutcomeKind Kind,
    string ShardId,
    string? NodeId,
    int Attempts,
    int Hops,
    string OriginShard,
    string Template,
    string? Reason,
    long SubmittedAtMs,
    long AcceptedTick,
    long FinishedTick,
    string? TraceParent = null,
    long FinishedAtMs = 0);
