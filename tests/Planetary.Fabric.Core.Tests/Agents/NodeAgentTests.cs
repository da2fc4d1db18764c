using Planetary.Contracts;
using Planetary.Fabric.Agents;
using Planetary.Fabric.Determinism;
using Planetary.Fabric.Effects;
using Planetary.Fabric.Manifest;
using Planetary.Fabric.Parameters;

namespace Planetary.Fabric.Tests.Agents;

/// <summary>
/// The node agent over the default manifest: EARTH-TITAN-01 in shard "earth" with [governance, sovereign-finance,
/// logistics], 12 slots, reliability 0.995; heartbeat interval 2 ticks (so results are resent every 4 ticks).
/// </summary>
public sealed class NodeAgentTests
{
    private const string Titan = "EARTH-TITAN-01";
    private const string Athena = "EARTH-ATHENA-02";
    private const string Earth = "earth";
    private static readonly Address EarthRouter = Address.Router(Earth);
    private static readonly FabricManifest Default = WithHeartbeatEvery2Ticks(ManifestLoader.LoadDefault());

    /// <summary>The timings these tests spell out: heartbeat every 2 ticks (grace 10), whatever the default manifest says.</summary>
    private static FabricManifest WithHeartbeatEvery2Ticks(FabricManifest manifest) =>
        manifest with { Routers = manifest.Routers with { HeartbeatIntervalTicks = 2, HeartbeatGraceTicks = 10 } };

    // ---- start and heartbeats ----

    [Fact]
    public void Start_registers_with_the_nodes_capabilities_slots_and_reliability_then_heartbeats_an_empty_running_list()
    {
        var agent = new NodeAgent(Titan, Default, 7, 1);

        var effects = agent.Start(0);

        Assert.Equal(2, effects.Count);
        var sends = effects.Cast<Send>().ToList();
        Assert.All(sends, s => Assert.Equal(EarthRouter, s.To));
        var register = Assert.IsType<RegisterNode>(sends[0].Message);
        Assert.Equal(Earth, register.ShardId);
        Assert.Equal(Titan, register.NodeId);
        Assert.Equal(["governance", "sovereign-finance", "logistics"], register.Capabilities);
        Assert.Equal(12, register.Slots);
        Assert.Equal(0.995, register.Reliability);
        Assert.Equal(7, register.ParameterVersion);
        var heartbeat = Assert.IsType<NodeHeartbeat>(sends[1].Message);
        Assert.Equal(Earth, heartbeat.ShardId);
        Assert.Equal(Titan, heartbeat.NodeId);
        Assert.Equal(["governance", "sovereign-finance", "logistics"], heartbeat.Capabilities);
        Assert.Equal(12, heartbeat.Slots);
        Assert.Equal(7, heartbeat.ParameterVersion);
        Assert.Empty(heartbeat.Running);
    }

    [Fact]
    public void An_idle_node_heartbeats_every_interval_and_not_in_between()
    {
        var agent = new NodeAgent(Titan, Default, 0, 1);
        agent.Start(0);

        var heartbeatTicks = Enumerable.Range(1, 10).Where(t => Messages<NodeHeartbeat>(agent.Tick(t)).Any()).ToList();

        Assert.Equal([2, 4, 6, 8, 10], heartbeatTicks);
    }

    [Fact]
    public void A_node_of_an_unknown_id_cannot_be_built_and_an_unknown_message_is_refused()
    {
        Assert.Throws<ArgumentException>(() => new NodeAgent("NOPE-01", Default, 0, 1));
        var agent = new NodeAgent(Titan, Default, 0, 1);
        Assert.Throws<ArgumentException>(() => agent.Handle(new CancelJob(Earth, "j1", "test"), 0));
    }

    // ---- running an attempt ----

    [Fact]
    public void An_assignment_runs_for_duration_times_time_scale_ticks_and_reports_to_its_routers_shard_exactly_at_the_finish_tick()
    {
        // 3 ticks × 1.5 = 4.5 → 5 ticks: assigned at tick 1, finishes at tick 6.
        var agent = Agent(reliability: 1, timeScale: 1.5);
        agent.Start(0);
        Assert.Empty(agent.Handle(Assign(Titan, Job("j1")), 1));

        for (var t = 2; t <= 5; t++)
        {
            var effects = agent.Tick(t);
            Assert.Empty(Messages<ReportJobResults>(effects));
            if (t % 2 == 0)
            {
                var heartbeat = Assert.Single(Messages<NodeHeartbeat>(effects));
                Assert.Equal([("j1", 1)], heartbeat.Running.Select(r => (r.JobId, r.Attempt)));
            }
        }

        var finish = agent.Tick(6);

        var report = Assert.Single(finish.OfType<Send>(), s => s.Message is ReportJobResults);
        Assert.Equal(EarthRouter, report.To);
        var results = (ReportJobResults)report.Message;
        Assert.Equal(Earth, results.ShardId);
        Assert.Equal(Titan, results.NodeId);
        var result = Assert.Single(results.Results);
        Assert.Equal(new JobResult("j1", 1, true, null), result);
        Assert.Empty(Assert.Single(Messages<NodeHeartbeat>(finish)).Running);
        Assert.Equal(0, agent.RunningCount);
        Assert.Equal(1, agent.Statistics.Started);
        Assert.Equal(1, agent.Statistics.Succeeded);
        Assert.Equal(5, agent.Statistics.BusyTicks);
    }

    [Theory]
    [InlineData(2, 1.0, 2)]
    [InlineData(4, 0.5, 2)]
    [InlineData(3, 0.1, 1)]
    [InlineData(100, 0.07, 7)] // 100 × 0.07 is 7.000000000000001 in binary floating point; the duration is still 7
    [InlineData(10, 0.29, 3)] // 2.9 → 3
    public void The_run_time_is_the_template_duration_times_the_time_scale_rounded_up(int durationTicks, double timeScale, int expectedTicks)
    {
        var agent = Agent(reliability: 1, timeScale: timeScale);
        agent.Start(0);
        agent.Handle(Assign(Titan, Job("j1", durationTicks: durationTicks)), 0);

        var finishedAt = Enumerable.Range(1, 200).First(t => Messages<ReportJobResults>(agent.Tick(t)).Any());

        Assert.Equal(expectedTicks, finishedAt);
    }

    [Fact]
    public void A_time_scale_of_zero_reports_the_result_in_the_same_handle_call()
    {
        var agent = Agent(reliability: 1, timeScale: 0);
        agent.Start(0);

        var effects = agent.Handle(Assign(Titan, Job("j1"), Job("j2", attempt: 3)), 5);

        var report = Assert.Single(Messages<ReportJobResults>(effects));
        Assert.Equal([("j1", 1, true), ("j2", 3, true)], report.Results.Select(r => (r.JobId, r.Attempt, r.Succeeded)));
        Assert.Equal(0, agent.RunningCount);
        Assert.Equal(2, agent.UnacknowledgedResults);
    }

    // ---- resending until acknowledged ----

    [Fact]
    public void Results_are_resent_every_two_heartbeat_intervals_until_acknowledged_and_not_after()
    {
        var agent = Agent(reliability: 1, timeScale: 1);
        agent.Start(0);
        agent.Handle(Assign(Titan, Job("j1", durationTicks: 2)), 0);
        var reportTicks = new List<int>();
        for (var t = 1; t <= 12; t++)
        {
            if (Messages<ReportJobResults>(agent.Tick(t)).Any(r => r.Results.Any(x => x.JobId == "j1" && x.Attempt == 1)))
            {
                reportTicks.Add(t);
            }
        }

        // Finished at 2; resent at 6 and 10 (interval 2 × 2 = 4 ticks without an acknowledgement).
        Assert.Equal([2, 6, 10], reportTicks);

        // An acknowledgement of another attempt does not stop the resending.
        agent.Handle(new AcknowledgeJobResults(Earth, Titan, [new JobAttemptRef("j1", 2)]), 12);
        Assert.NotEmpty(Messages<ReportJobResults>(agent.Tick(14)));

        agent.Handle(new AcknowledgeJobResults(Earth, Titan, [new JobAttemptRef("j1", 1)]), 15);

        Assert.Equal(0, agent.UnacknowledgedResults);
        for (var t = 16; t <= 40; t++)
        {
            Assert.Empty(Messages<ReportJobResults>(agent.Tick(t)));
        }
    }

    [Fact]
    public void An_unacknowledged_result_of_an_immediate_rejection_is_resent_too()
    {
        var agent = Agent(concurrency: 1, timeScale: 1);
        agent.Start(0);
        agent.Handle(Assign(Titan, Job("j1", durationTicks: 100), Job("j2")), 0);

        var resent = Messages<ReportJobResults>(agent.Tick(4)).SelectMany(r => r.Results).ToList();

        var result = Assert.Single(resent);
        Assert.Equal("j2", result.JobId);
        Assert.False(result.Succeeded);
    }

    // ---- success draws ----

    [Fact]
    public void Reliability_one_always_succeeds()
    {
        var results = RunInstantly(Agent(reliability: 1, timeScale: 0), 500);

        Assert.All(results, r =>
        {
            Assert.True(r.Succeeded);
            Assert.Null(r.FailureReason);
        });
    }

    [Fact]
    public void Reliability_zero_always_fails_with_a_reason_naming_the_node()
    {
        var agent = Agent(reliability: 0, timeScale: 0);

        var results = RunInstantly(agent, 500);

        Assert.All(results, r =>
        {
            Assert.False(r.Succeeded);
            Assert.Contains(Titan, r.FailureReason);
        });
        Assert.Equal(500, agent.Statistics.Failed);
        Assert.Equal(0, agent.Statistics.Succeeded);
    }

    [Fact]
    public void The_success_draw_is_deterministic_for_a_seed_and_differs_for_another_seed()
    {
        var first = RunInstantly(Agent(reliability: 0.5, timeScale: 0, seed: 2024), 200).Select(r => r.Succeeded).ToArray();
        var again = RunInstantly(Agent(reliability: 0.5, timeScale: 0, seed: 2024), 200).Select(r => r.Succeeded).ToArray();
        var other = RunInstantly(Agent(reliability: 0.5, timeScale: 0, seed: 2025), 200).Select(r => r.Succeeded).ToArray();

        Assert.Equal(first, again);
        Assert.NotEqual(first, other);
        Assert.Contains(true, first);
        Assert.Contains(false, first);

        // The draw is the documented one: Unit(seed, node, job, attempt) below the reliability.
        var expected = Enumerable.Range(0, 200).Select(i => StableHash.Unit(2024, Titan, $"job-{i:D5}", 1) < 0.5).ToArray();
        Assert.Equal(expected, first);
    }

    [Fact]
    public void The_success_draw_depends_on_the_attempt_and_the_node()
    {
        var attempts = new NodeAgent(Titan, Manifest(reliability: 0.5, timeScale: 0), 0, 9);
        var byAttempt = Enumerable.Range(1, 200)
            .Select(a => Messages<ReportJobResults>(attempts.Handle(Assign(Titan, Job("same-job", attempt: a)), 0)).Single().Results.Single().Succeeded)
            .ToArray();
        Assert.Contains(true, byAttempt);
        Assert.Contains(false, byAttempt);

        var manifest = Manifest(reliability: 0.5, timeScale: 0);
        manifest = manifest with { Nodes = manifest.Nodes.Select(n => n with { Reliability = 0.5 }).ToArray() };
        var titan = RunInstantly(new NodeAgent(Titan, manifest, 0, 9), 200, Titan).Select(r => r.Succeeded);
        var athena = RunInstantly(new NodeAgent(Athena, manifest, 0, 9), 200, Athena, capabilities: ["research"]).Select(r => r.Succeeded);
        Assert.NotEqual(titan, athena);
    }

    [Fact]
    public void Over_many_attempts_the_success_rate_is_close_to_the_reliability()
    {
        var results = RunInstantly(Agent(reliability: 0.9, timeScale: 0, seed: 77), 5000);

        var rate = results.Count(r => r.Succeeded) / (double)results.Count;
        Assert.InRange(rate, 0.87, 0.93);
    }

    // ---- assignments the node cannot or need not run ----

    [Fact]
    public void An_assignment_beyond_the_concurrency_fails_at_once_with_no_free_slot()
    {
        var agent = Agent(concurrency: 2, timeScale: 1, reliability: 1);
        agent.Start(0);

        var effects = agent.Handle(Assign(Titan, Job("j1"), Job("j2"), Job("j3")), 1);

        var report = Assert.Single(Messages<ReportJobResults>(effects));
        var result = Assert.Single(report.Results);
        Assert.Equal("j3", result.JobId);
        Assert.False(result.Succeeded);
        Assert.Contains("no free slot", result.FailureReason);
        Assert.Contains(Titan, result.FailureReason);
        Assert.Equal(2, agent.RunningCount);
        Assert.Equal(1, agent.Statistics.Rejected);
        Assert.Equal(2, agent.Statistics.Started);
    }

    [Fact]
    public void An_assignment_needing_a_capability_the_node_lacks_fails_at_once()
    {
        var agent = Agent(reliability: 1, timeScale: 1);
        agent.Start(0);

        var effects = agent.Handle(Assign(Titan, Job("j1", capabilities: ["governance", "terraforming"], template: "odd-template")), 1);

        var result = Assert.Single(Assert.Single(Messages<ReportJobResults>(effects)).Results);
        Assert.Equal(("j1", 1, false), (result.JobId, result.Attempt, result.Succeeded));
        Assert.Contains(Titan, result.FailureReason);
        Assert.Contains("odd-template", result.FailureReason);
        Assert.Equal(0, agent.RunningCount);
        Assert.Equal(1, agent.Statistics.Rejected);
    }

    [Fact]
    public void A_redelivered_assignment_is_ignored_while_running_and_after_finishing()
    {
        var agent = Agent(reliability: 1, timeScale: 1);
        agent.Start(0);
        agent.Handle(Assign(Titan, Job("j1", durationTicks: 3)), 1);

        Assert.Empty(agent.Handle(Assign(Titan, Job("j1", durationTicks: 3)), 2));
        Assert.Equal(1, agent.RunningCount);

        var reports = new List<JobResult>();
        for (var t = 2; t <= 5; t++)
        {
            reports.AddRange(Messages<ReportJobResults>(agent.Tick(t)).SelectMany(r => r.Results));
            Assert.Empty(Messages<ReportJobResults>(agent.Handle(Assign(Titan, Job("j1", durationTicks: 3)), t)));
        }

        Assert.Equal([("j1", 1)], reports.Select(r => (r.JobId, r.Attempt)));
        Assert.Equal(1, agent.Statistics.Started);
        Assert.Equal(0, agent.RunningCount);
    }

    [Fact]
    public void A_redelivered_immediate_rejection_is_not_answered_twice()
    {
        var agent = Agent(reliability: 1, timeScale: 1);
        agent.Start(0);
        var bad = Job("j1", capabilities: ["terraforming"]);
        agent.Handle(Assign(Titan, bad), 1);

        Assert.Empty(agent.Handle(Assign(Titan, bad), 2));
        Assert.Equal(1, agent.Statistics.Rejected);
    }

    [Fact]
    public void A_newer_attempt_of_the_same_job_replaces_the_older_one()
    {
        var agent = Agent(concurrency: 1, reliability: 1, timeScale: 1);
        agent.Start(0);
        agent.Handle(Assign(Titan, Job("j1", attempt: 1, durationTicks: 3)), 1); // would finish at 4

        var effects = agent.Handle(Assign(Titan, Job("j1", attempt: 2, durationTicks: 3)), 2); // finishes at 5

        Assert.Empty(effects); // accepted although the only slot is taken: it is the same job
        Assert.Equal([("j1", 2)], agent.Running.Select(r => (r.JobId, r.Attempt)));
        var reports = new Dictionary<int, List<JobResult>>();
        for (var t = 3; t <= 6; t++)
        {
            reports[t] = Messages<ReportJobResults>(agent.Tick(t)).SelectMany(r => r.Results).ToList();
        }

        Assert.Empty(reports[3]);
        Assert.Empty(reports[4]);
        Assert.Equal([("j1", 2, true)], reports[5].Select(r => (r.JobId, r.Attempt, r.Succeeded)));
        Assert.Empty(reports[6]);

        // The older attempt, redelivered late, is ignored.
        Assert.Empty(agent.Handle(Assign(Titan, Job("j1", attempt: 1)), 7));
    }

    [Fact]
    public void A_newer_attempt_that_completes_at_once_also_drops_the_older_running_attempt()
    {
        var agent = Agent(reliability: 1, timeScale: 1);
        agent.Start(0);
        agent.Handle(Assign(Titan, Job("j1", attempt: 1, durationTicks: 4)), 1);

        var effects = agent.Handle(Assign(Titan, Job("j1", attempt: 2, durationTicks: 0)), 2);

        Assert.Equal([("j1", 2, true)], Messages<ReportJobResults>(effects).SelectMany(r => r.Results).Select(r => (r.JobId, r.Attempt, r.Succeeded)));
        Assert.Equal(0, agent.RunningCount);
        var later = Enumerable.Range(3, 6).SelectMany(t => Messages<ReportJobResults>(agent.Tick(t))).SelectMany(r => r.Results);
        Assert.DoesNotContain(later, r => r.Attempt == 1);
    }

    // ---- outages ----

    [Fact]
    public void Going_offline_loses_running_work_ignores_assignments_stays_silent_then_registers_again_with_an_empty_list()
    {
        var agent = Agent(reliability: 1, timeScale: 1);
        agent.Start(0);
        agent.Handle(Assign(Titan, Job("j1", durationTicks: 3), Job("j2", durationTicks: 3), Job("j0", durationTicks: 1)), 1);
        agent.Tick(2); // j0 finished and reported; never acknowledged

        Assert.Empty(agent.Handle(new TakeNodeOffline(Titan, 5, "drill"), 3));

        Assert.False(agent.Online);
        Assert.Equal(2, agent.Statistics.Lost);
        Assert.Equal(1, agent.Statistics.Outages);
        Assert.Equal(0, agent.RunningCount);
        Assert.Empty(agent.Handle(Assign(Titan, Job("j3")), 4));
        Assert.Equal(0, agent.RunningCount);
        for (var t = 4; t <= 7; t++)
        {
            Assert.Empty(agent.Tick(t));
        }

        var back = agent.Tick(8);

        Assert.True(agent.Online);
        Assert.Equal(2, back.Count);
        Assert.All(back.Cast<Send>(), s => Assert.Equal(EarthRouter, s.To));
        var register = Assert.IsType<RegisterNode>(((Send)back[0]).Message);
        Assert.Equal((Titan, 12), (register.NodeId, register.Slots));
        Assert.Empty(Assert.IsType<NodeHeartbeat>(((Send)back[1]).Message).Running);

        // Nothing of the lost work (nor the unacknowledged result) is reported afterwards.
        var after = Enumerable.Range(9, 20).SelectMany(t => Messages<ReportJobResults>(agent.Tick(t)));
        Assert.Empty(after);
        Assert.Equal(0, agent.UnacknowledgedResults);

        // And it takes work again.
        agent.Handle(Assign(Titan, Job("j4")), 30);
        Assert.Equal(1, agent.RunningCount);
    }

    // ---- owner parameter changes ----

    [Fact]
    public void A_newer_parameter_version_changes_the_slots_is_reported_applied_and_heartbeats_at_once()
    {
        var genesis = Manifest(concurrency: 1, reliability: 1, timeScale: 1);
        var agent = new NodeAgent(Titan, genesis, 0, 1);
        agent.Start(0);
        agent.Handle(Assign(Titan, Job("j1", durationTicks: 50)), 1);
        Assert.Contains("no free slot", Messages<ReportJobResults>(agent.Handle(Assign(Titan, Job("j2", durationTicks: 50)), 1)).Single().Results.Single().FailureReason);

        var effects = agent.Handle(Publish(genesis, version: 1, concurrency: 3), 3);

        var heartbeat = Assert.Single(effects.OfType<Send>(), s => s.Message is NodeHeartbeat);
        Assert.Equal(EarthRouter, heartbeat.To);
        var beat = (NodeHeartbeat)heartbeat.Message;
        Assert.Equal((3, 1L), (beat.Slots, beat.ParameterVersion));
        Assert.Equal([("j1", 1)], beat.Running.Select(r => (r.JobId, r.Attempt)));
        var applied = Assert.Single(effects.OfType<Publish>());
        Assert.Equal(new ParametersApplied("node:EARTH-TITAN-01", 1), applied.Message);
        Assert.Equal(1, agent.ParameterVersion);

        Assert.Empty(Messages<ReportJobResults>(agent.Handle(Assign(Titan, Job("j3", durationTicks: 50), Job("j4", durationTicks: 50)), 4)));
        Assert.Equal(3, agent.RunningCount);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(0)]
    public void An_older_or_equal_parameter_version_is_ignored_but_answered_with_the_current_version(long staleVersion)
    {
        var genesis = Manifest(concurrency: 1, reliability: 1, timeScale: 1);
        var agent = new NodeAgent(Titan, genesis, 0, 1);
        agent.Start(0);
        agent.Handle(Publish(genesis, version: 1, concurrency: 3), 1);

        var effects = agent.Handle(Publish(genesis, version: staleVersion, concurrency: 1), 2);

        var only = Assert.Single(effects);
        Assert.Equal(new ParametersApplied("node:EARTH-TITAN-01", 1), Assert.IsType<Publish>(only).Message);
        Assert.Equal(3, agent.Spec.Concurrency);
        Assert.Equal(1, agent.ParameterVersion);
    }

    [Fact]
    public void A_parameter_change_of_the_time_scale_applies_to_later_assignments()
    {
        var genesis = Manifest(reliability: 1, timeScale: 1);
        var agent = new NodeAgent(Titan, genesis, 0, 1);
        agent.Start(0);
        var values = ParameterCatalog.Flatten(genesis with { Execution = new ExecutionSettings(0) });
        agent.Handle(new FabricParametersPublished(1, values, "execution.timeScale", "owner", 0), 1);

        var effects = agent.Handle(Assign(Titan, Job("j1", durationTicks: 5)), 2);

        Assert.Single(Messages<ReportJobResults>(effects));
    }

    // ---- other nodes' messages ----

    [Fact]
    public void Messages_addressed_to_another_node_are_ignored()
    {
        var agent = Agent(reliability: 1, timeScale: 1);
        agent.Start(0);
        agent.Handle(Assign(Titan, Job("j1", durationTicks: 1)), 0);
        agent.Tick(1); // j1 reported, awaiting acknowledgement

        Assert.Empty(agent.Handle(Assign(Athena, Job("j2")), 2));
        Assert.Empty(agent.Handle(new AcknowledgeJobResults(Earth, Athena, [new JobAttemptRef("j1", 1)]), 2));
        Assert.Empty(agent.Handle(new TakeNodeOffline(Athena, 10, "drill"), 2));

        Assert.Equal(0, agent.RunningCount);
        Assert.Equal(1, agent.UnacknowledgedResults);
        Assert.True(agent.Online);
        Assert.Equal(0, agent.Statistics.Outages);
        Assert.NotEmpty(agent.Tick(3)); // still heartbeating
    }

    // ---- helpers ----

    private static FabricManifest Manifest(double? reliability = null, int? concurrency = null, double timeScale = 1.0) =>
        Default with
        {
            Nodes = Default.Nodes.Select(n => n.Id != Titan ? n : n with
            {
                Reliability = reliability ?? n.Reliability,
                Concurrency = concurrency ?? n.Concurrency,
            }).ToArray(),
            Execution = new ExecutionSettings(timeScale),
        };

    private static NodeAgent Agent(double? reliability = null, int? concurrency = null, double timeScale = 1.0, ulong seed = 1) =>
        new(Titan, Manifest(reliability, concurrency, timeScale), 0, seed);

    private static JobAssignment Job(
        string jobId, int attempt = 1, int durationTicks = 3, string template = "sovereign-ledger-audit", string[]? capabilities = null) =>
        new(jobId, attempt, template, capabilities ?? ["governance", "sovereign-finance"], durationTicks);

    private static AssignJobs Assign(string nodeId, params JobAssignment[] assignments) => new(Earth, nodeId, assignments);

    private static FabricParametersPublished Publish(FabricManifest genesis, long version, int concurrency)
    {
        var changed = genesis with { Nodes = genesis.Nodes.Select(n => n.Id == Titan ? n with { Concurrency = concurrency } : n).ToArray() };
        return new FabricParametersPublished(version, ParameterCatalog.Flatten(changed), $"nodes.{Titan}.concurrency", "owner", 0);
    }

    private static IEnumerable<T> Messages<T>(IEnumerable<Effect> effects) =>
        effects.Select(e => e switch { Send s => s.Message, Publish p => p.Message, _ => null }).OfType<T>();

    /// <summary>Runs <paramref name="count"/> jobs (attempt 1) one by one on an agent with time scale 0 and returns their results in order.</summary>
    private static List<JobResult> RunInstantly(NodeAgent agent, int count, string nodeId = Titan, string[]? capabilities = null)
    {
        var results = new List<JobResult>(count);
        for (var i = 0; i < count; i++)
        {
            var effects = agent.Handle(Assign(nodeId, Job($"job-{i:D5}", capabilities: capabilities ?? ["governance"])), i);
            results.Add(Assert.Single(Assert.Single(Messages<ReportJobResults>(effects)).Results));
        }

        return results;
    }
}
