namespace Planetary.OwnerControl;

/// <summary>The <c>OwnerControl</c> configuration section (the app host sets <c>OwnerControl__Token</c>).</summary>
public sealed class OwnerControlOptions
{
    public const string SectionName = "OwnerControl";

    /// <summary>The owner's bearer token. Without one, every change is refused; reads stay open.</summary>
    public string? Token { get; set; }

    /// <summary>Largest request body accepted, in bytes (Kestrel's limit and owner control's own check).</summary>
    public int MaxRequestBodyBytes { get; set; } = 256 * 1024;

    /// <summary>Most jobs in one <c>POST /api/jobs</c> batch.</summary>
    public int MaxJobsPerBatch { get; set; } = 1_000;

    /// <summary>How often the broadcaster checks whether a service is behind the current parameter version.</summary>
    public int BroadcastIntervalMs { get; set; } = 2_000;

    /// <summary>How long a send or publish may wait for the broker's confirmation before the request fails.</summary>
    public int BrokerTimeoutMs { get; set; } = 10_000;

    /// <summary>How long <c>POST /api/jobs</c> waits for the router's answer before it answers "pending" (the batch waits in its queue).</summary>
    public int AdmissionTimeoutMs { get; set; } = 5_000;

    /// <summary>The Aspire dashboard's address (the app host sets it), for the console's links to a job's trace; none: no links.</summary>
    public string? DashboardUrl { get; set; }

    /// <summary>How often the fleet history (the console's charts) samples the routers' reports.</summary>
    public int HistoryIntervalMs { get; set; } = 2_000;

    /// <summary>How long the fleet history keeps its samples (its bound: retention / interval samples).</summary>
    public int HistoryRetentionMinutes { get; set; } = 120;

    internal static string? Problem(OwnerControlOptions options) =>
        options.MaxRequestBodyBytes is < 1_024 or > 64 * 1024 * 1024 ? $"{SectionName}:MaxRequestBodyBytes must be from 1024 to 67108864, got {options.MaxRequestBodyBytes}"
        : options.MaxJobsPerBatch is < 1 or > 100_000 ? $"{SectionName}:MaxJobsPerBatch must be from 1 to 100000, got {options.MaxJobsPerBatch}"
        : options.BroadcastIntervalMs is < 100 or > 600_000 ? $"{SectionName}:BroadcastIntervalMs must be from 100 to 600000, got {options.BroadcastIntervalMs}"
        : options.BrokerTimeoutMs is < 100 or > 600_000 ? $"{SectionName}:BrokerTimeoutMs must be from 100 to 600000, got {options.BrokerTimeoutMs}"
        : options.HistoryIntervalMs is < 100 or > 600_000 ? $"{SectionName}:HistoryIntervalMs must be from 100 to 600000, got {options.HistoryIntervalMs}"
        : options.HistoryRetentionMinutes is < 1 or > 1_440 ? $"{SectionName}:HistoryRetentionMinutes must be from 1 to 1440, got {options.HistoryRetentionMinutes}"
        : options.DashboardUrl is { Length: > 0 } url && !Uri.TryCreate(url, UriKind.Absolute, out _) ? $"{SectionName}:DashboardUrl must be an absolute URL, got '{url}'"
        : null;
}
