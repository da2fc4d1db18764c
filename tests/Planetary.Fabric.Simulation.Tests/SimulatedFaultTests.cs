using Planetary.Fabric.Manifest;

namespace Planetary.Fabric.Simulation.Tests;

/// <summary>
/// Each fault the simulator injects into the real shells, on its own, in a small acceptance drill: what it must cause
/// happens (a process fails-stop, a store restarts), and every guarantee holds throughout (checked after every tick).
/// </summary>
public sealed class SimulatedFaultTests
{
    private static readonly FabricManifest Manifest = ManifestLoader.LoadDefault();

    [Fact]
    public void A_second_router_of_a_shard_deposes_the_first_which_stops_at_its_next_commit()
    {
        var result = Run(new SimulatedFault.SecondRouter(60, "earth"));

        Assert.Contains(result.ProcessStops, s => s.Contains("router-earth#", StringComparison.Ordinal) && s.Contains("another router process owns this shard", StringComparison.Ordinal));
        AssertEveryJobEndedOnce(result);
    }

    [Fact]
    public void A_second_checkpointer_deposes_the_first()
    {
        var result = Run(new SimulatedFault.SecondCheckpointer(30));

        Assert.Contains(result.ProcessStops, s => s.Contains("another checkpointer owns the snapshots", StringComparison.Ordinal));
        AssertEveryJobEndedOnce(result);
    }

    [Fact]
    public void A_checkpointer_that_dies_mid_round_is_restarted_and_checkpoints_go_on()
    {
        var result = Run(new SimulatedFault.CheckpointerCrash(30, AfterShards: 2, DownTicks: 5));

        Assert.Contains(result.Summary.Faults, f => f.Contains("the checkpointer will die", StringComparison.Ordinal));
        Assert.Contains(result.Checkpoints, c => c.ShardId == "edge" && c.Tick > 40); // the restarted checkpointer goes on
        AssertEveryJobEndedOnce(result);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void A_state_store_that_dies_during_a_commit_loses_nothing_acknowledged(bool applied)
    {
        var result = Run(new SimulatedFault.StateStoreRestart(50, DownTicks: 20, DuringCommit: true, CommitApplied: applied));

        Assert.Contains(result.ProcessStops, s => s.Contains("the journal write failed", StringComparison.Ordinal));
        AssertEveryJobEndedOnce(result);
    }

    [Fact]
    public void A_broker_restart_delays_and_duplicates_messages_and_nothing_is_lost()
    {
        var result = Run(new SimulatedFault.BrokerRestart(50, DownTicks: 30, DuplicateRate: 0.5));

        Assert.True(result.MessagesDuplicated > 0);
        AssertEveryJobEndedOnce(result);
    }

    [Fact]
    public void A_full_fleet_restart_resumes_every_router_from_storage()
    {
        var result = Run(new SimulatedFault.FleetRestart(70, DownTicks: 15));

        Assert.Contains(result.Summary.Faults, f => f.Contains("the whole fleet killed", StringComparison.Ordinal));
        AssertEveryJobEndedOnce(result);
    }

    [Fact]
    public void Clients_that_resubmit_and_cancel_run_nothing_twice()
    {
        var faults = Enumerable.Range(1, 40).SelectMany(i => new SimulatedFault[] { new SimulatedFault.ClientResubmit(i * 3), new SimulatedFault.ClientCancel(i * 3 + 1) }).ToArray();
        var result = Run(faults);

        Assert.True(result.Summary.JobsCancelled > 0);
        Assert.Contains(result.Summary.Faults, f => f.Contains("a client resubmitted", StringComparison.Ordinal));
        AssertEveryJobEndedOnce(result);
    }

    [Fact]
    public void Malformed_messages_are_quarantined_and_the_router_and_agent_keep_serving()
    {
        var result = Run(new SimulatedFault.PoisonMessages(40), new SimulatedFault.PoisonMessages(80));

        Assert.InRange(result.MessagesQuarantined, 6, 12); // each of the six, once or (duplicated by the at-least-once bus) twice
        Assert.Empty(result.ProcessStops);
        AssertEveryJobEndedOnce(result);
    }

    [Fact]
    public void A_job_id_resubmitted_long_after_it_finished_or_to_another_shard_runs_nothing_again()
    {
        var options = SimulationOptions.AcceptanceDrill(Manifest, 150, seed: 5);
        var quick = options.Manifest with { Routers = options.Manifest.Routers with { DedupeRetentionTicks = 100 } }; // routers forget ids fast: the registry must not
        var faults = Enumerable.Range(1, 30).Select(i => (SimulatedFault)new SimulatedFault.ClientResubmit(200 + (i * 7), ToAnotherShard: i % 2 == 0)).ToArray();
        var result = new Simulation(options with { Manifest = quick, Plan = options.Plan with { RouterCrashes = [] }, Faults = faults, ReplayCheckEveryTicks = 1 }).Run();

        Assert.Equal(30, result.Summary.Faults.Count(f => f.Contains("a client resubmitted", StringComparison.Ordinal)));
        AssertEveryJobEndedOnce(result); // the invariant checker fails the run if any id is accepted from a submission twice
    }

    private static SimulationResult Run(params SimulatedFault[] faults)
    {
        var options = SimulationOptions.AcceptanceDrill(Manifest, 150, seed: 5);
        return new Simulation(options with { Plan = options.Plan with { RouterCrashes = [] }, Faults = faults, ReplayCheckEveryTicks = 1 }).Run();
    }

    private static void AssertEveryJobEndedOnce(SimulationResult result)
    {
        var s = result.Summary;
        Assert.Equal(0, s.JobsLost);
        Assert.Equal(0, s.JobsUnfinished);
        Assert.Equal(s.JobsSubmitted, s.JobsCompleted + s.JobsFailed + s.JobsCancelled);
        Assert.True(result.InvariantChecks >= s.DurationTicks);
        Assert.True(result.ReplayChecks >= s.DurationTicks);
    }
}
