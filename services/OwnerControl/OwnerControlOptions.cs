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

    internal static string? Problem(OwnerControlOptions options) =>
        options.MaxRequestBodyBytes is < 1_024 or > 64 * 1024 * 1024 ? $"{SectionName}:MaxRequestBodyBytes must be from 1024 to 67108864, got {options.MaxRequestBodyBytes}"
        : options.MaxJobsPerBatch is < 1 or > 100_000 ? $"{SectionName}:MaxJobsPerBatch must be from 1 to 100000, got {options.MaxJobsPerBatch}"
        : options.BroadcastIntervalMs is < 100 or > 600_000 ? $"{SectionName}:BroadcastIntervalMs must be from 100 to 600000, got {options.BroadcastIntervalMs}"
        : options.BrokerTimeoutMs is < 100 or > 600_000 ? $"{SectionName}:BrokerTimeoutMs must be from 100 to 600000, got {options.BrokerTimeoutMs}"
        : null;
}
