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
        _ => JobStatus.Queued, // accepted, arrived, returned, attemptFailed, withdrawn, requeued
    };

    public static bool IsFinal(this JobStatus status) => status is JobStatus.Completed or JobStatus.Failed or JobStatus.Cancelled or JobStatus.Rejected;
}

/// <summary>The names job statuses go by in JSON, URLs and keys (<c>"queued"</c>).</summary>
public static class JobStatusNames
{
    private static readonly string[] Names = Enum.GetValues<JobStatus>().Select(s => s.ToString().ToLowerInvariant()).ToArray();

    public static string Of(JobStatus status) => Names[(int)status];

    /// <summary>The status a name stands for (case-insensitive), or null.</summary>
    public static JobStatus? Parse(string? name) =>
        Enum.GetValues<JobStatus>().Cast<JobStatus?>().FirstOrDefault(s => string.Equals(Of(s!.Value), name, StringComparison.OrdinalIgnoreCase));
}
