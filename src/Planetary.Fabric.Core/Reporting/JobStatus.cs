using System.Text.Json.Serialization;
using Planetary.Contracts;

namespace Planetary.Fabric.Reporting;

/// <summary>Where a job stands, as the owner sees it (serialised in lowercase: <c>"queued"</c>).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<JobStatus>))]
public enum JobStatus
{
    [JsonStringEnumMemberName("queued")]
    Queued,

    [JsonStringEnumMemberName("running")]
    Running,

    /// <summary>On its way between shards.</summary>
    [JsonStringEnumMemberName("moving")]
    Moving,

    [JsonStringEnumMemberName("completed")]
    Completed,

    [JsonStringEnumMemberName("failed")]
    Failed,

    [JsonStringEnumMemberName("cancelled")]
    Cancelled,

    /// <summary>Refused when it was submitted (its timeline says why); it was never taken.</summary>
    [JsonStringEnumMemberName("rejected")]
    Rejected,
}

/// <summary>A job's status from its outcome in the books, or else from the last event of its timeline.</summary>
public static class JobStatuses
{
    public static JobStatus Of(JobOutcomeKind outcome) => outcome switch
    {
        JobOutcomeKind.Completed => JobStatus.Completed,
        JobOutcomeKind.Failed => JobStatus.Failed,
        _ => JobStatus.Cancelled,
    };

    public static JobStatus After(JobEventKind lastEvent) => lastEvent switch
    {
        JobEventKind.Assigned => JobStatus.Running,
        JobEventKind.Spilled or JobEventKind.Forwarded => JobStatus.Moving,
        JobEventKind.Completed => JobStatus.Completed,
        JobEventKind.Failed => JobStatus.Failed,
        JobEventKind.Cancelled => JobStatus.Cancelled,
        JobEventKind.Rejected => JobStatus.Rejected,
        _ => JobStatus.Queued, // accepted, arrived, returned, attemptFailed
    };

    public static bool IsFinal(this JobStatus status) => status is JobStatus.Completed or JobStatus.Failed or JobStatus.Cancelled or JobStatus.Rejected;
}
