using Planetary.Fabric.Drills;
using Planetary.Fabric.Manifest;

namespace Planetary.Fabric.Tests.Drills;

/// <summary>
/// The slot ceiling on the default manifest (EARTH-TITAN-01 12 slots, EARTH-ATHENA-02 10, LUNA-HYPERION-01 12,
/// MARS-ARES-01 10, MARS-ARES-02 8, EDGE-HELIOS-PRIME 16: 68 in all; only EDGE-HELIOS-PRIME has gpu-acceleration).
/// </summary>
public sealed class DrillCeilingTests
{
    private static readonly FabricManifest Default = ManifestLoader.LoadDefault();

    [Fact]
    public void Work_that_every_node_can_share_is_bound_by_the_nodes_able_to_run_it()
    {
        // logistics-routing (2 ticks) runs on EARTH-TITAN-01, LUNA-HYPERION-01 and MARS-ARES-01: 34 slots.
        var ceiling = DrillCeiling.Of(Default, Jobs(("logistics-routing", 340)), []);

        Assert.Equal(680, ceiling.WorkSlotTicks);
        Assert.Equal(20, ceiling.Ticks); // 680 slot-ticks / 34 slots
        Assert.Equal(["logistics-routing"], ceiling.BindingTemplates);
        Assert.Equal(["EARTH-TITAN-01", "LUNA-HYPERION-01", "MARS-ARES-01"], ceiling.BindingNodes);
        Assert.Equal(34, ceiling.BindingSlots);
        Assert.Equal(68, ceiling.Slots);
    }

    [Fact]
    public void Work_only_one_node_can_run_binds_on_that_node_however_idle_the_rest_are()
    {
        // gpu-simulation (3 ticks) only on EDGE-HELIOS-PRIME (16 slots); a little governance work fits elsewhere alongside.
        var ceiling = DrillCeiling.Of(Default, Jobs(("gpu-simulation", 160), ("governance-review", 100)), []);

        Assert.Equal(30, ceiling.Ticks); // 480 slot-ticks / 16 slots
        Assert.Equal(["gpu-simulation"], ceiling.BindingTemplates);
        Assert.Equal(["EDGE-HELIOS-PRIME"], ceiling.BindingNodes);
        Assert.Equal(16, ceiling.BindingSlots);
    }

    [Fact]
    public void A_planned_outage_takes_the_nodes_slots_away_while_it_lasts()
    {
        var ceiling = DrillCeiling.Of(Default, Jobs(("gpu-simulation", 160)), [new NodeOutage("EDGE-HELIOS-PRIME", StartTick: 10, Ticks: 20)]);

        Assert.Equal(50, ceiling.Ticks); // 480 slot-ticks at 16 a tick, with ticks 10..29 lost
    }

    [Fact]
    public void Work_spread_over_every_template_can_be_bound_by_the_whole_fleet()
    {
        var plan = DrillPlan.Acceptance(Default, 1_000, seed: 42) with { NodeOutages = [] };
        var ceiling = DrillCeiling.Of(Default, plan);

        Assert.Equal(68, ceiling.BindingSlots);
        Assert.Equal((ceiling.WorkSlotTicks + 67) / 68, ceiling.Ticks);
    }

    [Fact]
    public void The_time_scale_stretches_the_work_and_at_zero_there_is_none()
    {
        var jobs = Jobs(("logistics-routing", 340));
        var doubled = DrillCeiling.Of(Default with { Execution = new ExecutionSettings(2) }, jobs, []);
        var none = DrillCeiling.Of(Default with { Execution = new ExecutionSettings(0) }, jobs, []);

        Assert.Equal(40, doubled.Ticks);
        Assert.Equal(0, none.Ticks);
        Assert.Equal(0, none.WorkSlotTicks);
    }

    [Fact]
    public void Jobs_no_node_can_run_have_no_ceiling_and_say_so()
    {
        var manifest = Default with { Nodes = Default.Nodes.Where(n => n.Id != "EDGE-HELIOS-PRIME").ToArray() };

        var error = Assert.Throws<ArgumentException>(() => DrillCeiling.Of(manifest, Jobs(("gpu-simulation", 1)), []));
        Assert.Contains("gpu-simulation", error.Message, StringComparison.Ordinal);
    }

    private static Dictionary<string, long> Jobs(params (string Template, long Count)[] jobs) =>
        jobs.ToDictionary(j => j.Template, j => j.Count, StringComparer.Ordinal);
}
