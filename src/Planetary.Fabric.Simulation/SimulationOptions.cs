using Planetary.Fabric.Drills;
using Planetary.Fabric.Manifest;

namespace Planetary.Fabric.Simulation;

/// <summary>Everything a simulated run depends on. The same options give the same run, byte for byte.</summary>
public sealed record SimulationOptions(
    FabricManifest Manifest,
    DrillPlan Plan,
    BusFaults Bus,
    long MaxTicks,
    bool RecordTimeline = true,
    int InvariantCheckEveryTicks = 1)
{
    public static SimulationOptions AcceptanceDrill(FabricManifest manifest, int jobsPerShard, ulong seed) =>
        new(manifest, DrillPlan.Acceptance(manifest, jobsPerShard, seed), BusFaults.AtLeastOnce, MaxTicksFor(manifest, jobsPerShard));

    /// <summary>A generous bound: twenty times the ideal length of the run, plus settling time.</summary>
    public static long MaxTicksFor(FabricManifest manifest, int jobsPerShard) =>
        2_000 + 20L * jobsPerShard * manifest.Shards.Count / DrillPlan.SustainableRatePerTick(manifest);
}
