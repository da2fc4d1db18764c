namespace Planetary.Fabric.Routing;

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
