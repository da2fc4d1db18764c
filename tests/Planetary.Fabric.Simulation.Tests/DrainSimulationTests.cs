using Planetary.Fabric.Drills;
using Planetary.Fabric.Manifest;
using Planetary.Fabric.Reporting;

namespace Planetary.Fabric.Simulation.Tests;

/// <summary>A node drained mid-drill through the owner's parameters, in the real shells: work is withdrawn, nothing is lost or run twice.</summary>
public sealed class DrainSimulationTests
{
    private static readonly FabricManifest Manifest = ManifestLoader.LoadDefault();

    [Fact]
    public void A_node_drained_mid_drill_gets_no_work_until_resumed_its_withdrawn_jobs_run_elsewhere_and_every_job_ends_once()
    {
        const string node = "EARTH-TITAN-01";
        var options = SimulationOptions.AcceptanceDrill(Manifest, 300, 7);
        var result = new Simulation(options with
        {
            Plan = options.Plan with
            {
                RouterCrashes = [],
                NodeOutages = [],
                OwnerChanges =
                [
                    new OwnerChange(40, "routers.drainDeadlineTicks", "1", "owner"),
                    new OwnerChange(40, $"nodes.{node}.draining", "true", "owner"),
                    new OwnerChange(140, $"nodes.{node}.draining", "false", "owner"),
                ],
            },
        }).Run();

        var s = result.Summary;
        Assert.Empty(result.ProcessStops);
        Assert.True(s.JobsLost == 0 && s.JobsUnfinished == 0, $"lost {s.JobsLost}, unfinished {s.JobsUnfinished}");
        Assert.Equal(s.JobsSubmitted, s.JobsCompleted + s.JobsFailed + s.JobsCancelled);

        var withdrawn = result.Timeline.Where(e => e.Kind == JobEventKind.Withdrawn).ToArray();
        Assert.NotEmpty(withdrawn);
        Assert.All(withdrawn, e => Assert.Equal(node, e.Node));

        // While drained (after the withdrawal, before the resume) nothing is assigned to the node; the resume assigns to it
        // at once (dispatch is event-driven: in the step that adopts it, as early as the owner's own tick).
        var drainedFrom = withdrawn.Max(e => e.Tick);
        var resumedAt = result.OwnerLog.Single(e => e.Path == $"nodes.{node}.draining" && e.After == "false").Tick;
        Assert.DoesNotContain(result.Timeline, e => e.Kind == JobEventKind.Assigned && e.Node == node && e.Tick > drainedFrom && e.Tick < resumedAt);
        Assert.Contains(result.Timeline, e => e.Kind == JobEventKind.Assigned && e.Node == node && e.Tick >= resumedAt);

        // Each withdrawn job ran again elsewhere, or on the node once resumed, and ended once.
        var ends = result.Timeline.Where(e => e.Kind is JobEventKind.Completed or JobEventKind.Failed or JobEventKind.Cancelled).GroupBy(e => e.JobId).ToDictionary(g => g.Key, g => g.Count());
        Assert.All(withdrawn, e => Assert.Equal(1, ends[e.JobId]));
    }
}
