namespace Planetary.Contracts;

/// <summary>
/// One job as submitted to a shard. <paramref name="SubmittedAtMs"/> (for latency figures) and
/// <paramref name="TraceParent"/> (W3C trace context, so one trace follows the job across services) travel with the
/// job unchanged.
/// </summary>
public sealed record JobSubmission(string JobId, string Template, long SubmittedAtMs, string? TraceParent = null);

/// <summary>Command to a shard router: accept these jobs into its queue.</summary>
public sealed record SubmitJobs(string SubmissionId, string ShardId, IReadOnlyList<JobSubmission> Jobs);

/// <summary>A job a router refused, and why.</summary>
public sealed record JobRejection(string JobId, string Reason);

/// <summary>Event: a router's answer to <see cref="SubmitJobs"/>. Accepted jobs are journaled; duplicates count as accepted.</summary>
public sealed record JobsAccepted(string SubmissionId, string ShardId, IReadOnlyList<string> Accepted, IReadOnlyList<JobRejection> Rejected);

/// <summary>Command to a router: cancel a job that has not finished.</summary>
public sealed record CancelJob(string ShardId, string JobId, string Actor);

/// <summary>A job and attempt, the key every consumer is idempotent on.</summary>
public sealed record JobAttemptRef(string JobId, int Attempt);

/// <summary>How a job ended, as recorded once in the books.</summary>
public enum JobOutcomeKind
{
    Completed,
    Failed,
    Cancelled,
}

/// <summary>Event: jobs reached their final state on a shard (published after the journal entry is durable).</summary>
public sealed record JobsFinished(string ShardId, IReadOnlyList<JobOutcome> Outcomes);

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
