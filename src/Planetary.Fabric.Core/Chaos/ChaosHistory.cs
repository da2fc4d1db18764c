using Planetary.Fabric.Reporting;

namespace Planetary.Fabric.Chaos;

/// <summary>What owner control answered to a submission of one job.</summary>
public enum ChaosAdmission
{
    /// <summary>202 and the router took it.</summary>
    Taken,

    /// <summary>202 before the router answered: taken, or shown as rejected with its reason later.</summary>
    Pending,

    /// <summary>The fabric already knew the id: nothing new runs.</summary>
    Known,

    /// <summary>Refused (429 or 409, or refused by the router): the job was never taken.</summary>
    Refused,
}

/// <summary>A job the nemesis submitted, and the first answer that said what became of it.</summary>
public sealed record ChaosSubmission(string JobId, string Shard, ChaosAdmission Admission);

/// <summary>A job id submitted again (to its own shard or another one), and what the fabric answered.</summary>
public sealed record ChaosDuplicate(string JobId, string Shard, bool OtherShard, ChaosAdmission Admission);

/// <summary>One event of a job's timeline, as the checker needs it.</summary>
public readonly record struct ChaosJobEvent(JobEventKind Kind, string Shard, string? Node, int Attempt);

/// <summary>A job as the fabric shows it at the end: its status (null: the fabric does not know it) and its timeline.</summary>
public sealed record ChaosJobState(string JobId, JobStatus? Status, IReadOnlyList<ChaosJobEvent> Timeline);

/// <summary>
/// A fault that was injected: what was hit, and how long until the fleet served again (a probe job submitted to every
/// shard after the fault finished). Null: it did not serve again within the recovery deadline.
/// </summary>
public sealed record ChaosFaultRecord(ChaosFault Fault, string Target, string Description, long InjectedAtMs, long? RecoveredAfterMs);

/// <summary>Everything a chaos run did and everything the fabric shows of it at the end; the checker's only input.</summary>
public sealed record ChaosHistory(
    IReadOnlyList<ChaosSubmission> Submissions,
    IReadOnlyList<ChaosDuplicate> Duplicates,
    IReadOnlyCollection<string> CancelsRequested,
    IReadOnlyDictionary<string, ChaosJobState> Jobs,
    IReadOnlyList<ChaosFaultRecord> Faults);
