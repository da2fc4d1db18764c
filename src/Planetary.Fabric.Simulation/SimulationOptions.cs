using Planetary.Fabric.Drills;
using Planetary.Fabric.Manifest;

namespace Planetary.Fabric.Simulation;

/// <summary>Everything a simulated run depends on. The same options give the same run, byte for byte.</summary>
/// <param name="Faults">Faults beyond the drill plan's (see <see cref="SimulatedFault"/>).</param>
/// <param name="InvariantCheckEveryTicks">How often the guarantees are checked (1: after every tick), where jobs are for the jobs the journal moved since.</param>
/// <param name="ReplayCheckEveryTicks">How often each router's memory is compared with its rebuilt durable state, and where every open job is checked.</param>
/// <param name="RestartDelayTicks">How long a supervised process that stopped stays down before it is started again.</param>
public sealed record SimulationOptions(
    FabricManifest Manifest,
    DrillPlan Plan,
    BusFaults Bus,
    long MaxTicks,
    bool RecordTimeline = true,
    int InvariantCheckEveryTicks = 1,
    IReadOnlyList<SimulatedFault>? Faults = null,
    int ReplayCheckEveryTicks = 1,
    int RestartDelayTicks = 2)
{
    public static SimulationOptions AcceptanceDrill(FabricManifest manifest, int jobsPerShard, ulong seed, string? seedText = null) =>
        new(manifest, DrillPlan.Acceptance(manifest, jobsPerShard, seed) with { SeedText = seedText }, BusFaults.AtLeastOnce, MaxTicksFor(manifest, jobsPerShard), ReplayCheckEveryTicks: 100);

    /// <summary>A generous bound: twenty times the ideal length of the run, plus settling time.</summary>
    public static long MaxTicksFor(FabricManifest manifest, int jobsPerShard) =>
        2_000 + 20L * jobsPerShard * manifest.Shards.Count / DrillPlan.SustainableRatePerTick(manifest);
}
