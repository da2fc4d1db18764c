namespace Planetary.OwnerControl.Drills;

/// <summary>The <c>Drills</c> configuration section of owner control.</summary>
public sealed class DrillOptions
{
    public const string SectionName = "Drills";

    /// <summary>Where report bundles are written: <c>{dir}/{drill id}/</c> and a copy in <c>{dir}/latest/</c>.</summary>
    public string ReportsDirectory { get; set; } = "reports";

    /// <summary>Most jobs per shard a drill may ask for.</summary>
    public int MaxJobsPerShard { get; set; } = 100_000;

    /// <summary>A drill gives up waiting when no job has finished for this long; unfinished jobs count as lost.</summary>
    public int StallTimeoutSeconds { get; set; } = 180;

    /// <summary>
    /// How many drills owner control keeps in memory (progress, ids, outcomes), the newest ones; a finished drill beyond
    /// that is forgotten when a new one starts, and its report bundle stays on disk in <see cref="ReportsDirectory"/>.
    /// </summary>
    public int KeepDrills { get; set; } = 20;

    /// <summary>How long a drill waits for every shard to report before it starts.</summary>
    public int FleetReadyTimeoutSeconds { get; set; } = 60;
}
