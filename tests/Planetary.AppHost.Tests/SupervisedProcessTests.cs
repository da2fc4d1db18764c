using Planetary.AppHost.Supervision;

namespace Planetary.AppHost.Tests;

/// <summary>The supervisor's decisions from state sequences as Aspire 13.6 publishes them (no app host needed).</summary>
public sealed class SupervisedProcessTests
{
    private static readonly RestartBackoff Backoff = new(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(30));
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_process_killed_while_running_is_restarted_at_once()
    {
        var process = NewProcess();
        Observe(process, T0, "Starting", "Waiting", "Running");

        var decision = process.Observe("Finished", 137, T0.AddSeconds(40));

        Assert.Equal(SupervisorAction.Restart, decision.Action);
        Assert.Equal(TimeSpan.Zero, decision.Delay);
        Assert.Equal(137, decision.ExitCode);
        Assert.Equal(TimeSpan.FromSeconds(40), decision.Uptime);
        Assert.Equal(1, process.Restarts);
    }

    [Fact]
    public void A_container_that_exits_0_was_stopped_on_purpose_and_one_killed_is_restarted()
    {
        var stopped = new SupervisedProcess(new ContainerResource("eventbus"), "eventbus-abc", Backoff);
        Observe(stopped, T0, "Starting", "Running");
        Assert.Equal(SupervisorAction.LeaveStopped, stopped.Observe("Exited", 0, T0.AddSeconds(60)).Action); // Restart command, no Stopping

        var killed = new SupervisedProcess(new ContainerResource("state"), "state-abc", Backoff);
        Observe(killed, T0, "Starting", "Running");
        Assert.Equal(SupervisorAction.Restart, killed.Observe("Exited", 137, T0.AddSeconds(60)).Action); // kill --signal KILL

        var executable = NewProcess(); // an executable's exit code says nothing (-1 or 0 for a kill and a stop alike)
        Observe(executable, T0, "Starting", "Running");
        Assert.Equal(SupervisorAction.Restart, executable.Observe("Exited", 0, T0.AddSeconds(60)).Action);
    }

    [Fact]
    public void A_stop_request_is_respected_whatever_the_exit_code()
    {
        var process = NewProcess();
        Observe(process, T0, "Starting", "Running", "Stopping");

        var decision = process.Observe("Finished", -1, T0.AddSeconds(5));

        Assert.Equal(SupervisorAction.LeaveStopped, decision.Action);
        Assert.Equal(0, process.Restarts);
    }

    [Fact]
    public void A_slow_stop_that_ends_unknown_and_later_finished_is_left_alone()
    {
        var process = NewProcess();
        Observe(process, T0, "Starting", "Running", "Stopping");

        Assert.Equal(SupervisorAction.LeaveStopped, process.Observe("Unknown", null, T0.AddSeconds(12)).Action);
        Assert.Equal(SupervisorAction.None, process.Observe("Finished", -1, T0.AddSeconds(20)).Action);
        Assert.Equal(0, process.Restarts);
    }

    [Fact]
    public void The_operators_restart_is_not_doubled_and_a_later_crash_is_restarted()
    {
        var process = NewProcess();
        Observe(process, T0, "Starting", "Running", "Stopping");
        Assert.Equal(SupervisorAction.LeaveStopped, process.Observe("Finished", -1, T0).Action);
        Observe(process, T0, "Starting", "Waiting", "", "Running");

        var decision = process.Observe("Finished", 137, T0.AddSeconds(60));

        Assert.Equal(SupervisorAction.Restart, decision.Action);
        Assert.Equal(1, process.Restarts);
    }

    [Fact]
    public void A_stop_request_followed_by_running_again_does_not_make_the_next_crash_a_requested_stop()
    {
        var process = NewProcess();
        Observe(process, T0, "Starting", "Running", "Stopping", "", "Running"); // the new run's Starting came as an empty state

        var decision = process.Observe("Finished", -1, T0.AddSeconds(30));

        Assert.Equal(SupervisorAction.Restart, decision.Action);
    }

    [Fact]
    public void Quick_crashes_back_off_to_the_maximum_and_a_stable_run_resets_the_delay()
    {
        var process = NewProcess();
        var now = T0;
        var delays = new List<double>();
        process.Observe("Running", null, now);
        for (var i = 0; i < 6; i++)
        {
            now = now.AddSeconds(2);
            delays.Add(process.Observe("Finished", 1, now).Delay.TotalSeconds);
            Observe(process, now, "Starting", "Running");
        }

        Assert.Equal([0, 1, 2, 4, 8, 10], delays);
        Assert.Equal(TimeSpan.Zero, process.Observe("Finished", 1, now.AddMinutes(5)).Delay);
    }

    [Fact]
    public void A_first_start_that_fails_is_not_retried_but_a_failed_restart_is()
    {
        var neverRan = NewProcess();
        Observe(neverRan, T0, "Starting");
        Assert.Equal(SupervisorAction.None, neverRan.Observe("FailedToStart", null, T0).Action);

        var restarted = NewProcess();
        Observe(restarted, T0, "Starting", "Running");
        Assert.Equal(SupervisorAction.Restart, restarted.Observe("Finished", 137, T0.AddSeconds(1)).Action);
        Observe(restarted, T0.AddSeconds(2), "Starting");
        var retry = restarted.Observe("FailedToStart", null, T0.AddSeconds(3));
        Assert.Equal(SupervisorAction.Restart, retry.Action);
        Assert.Equal(TimeSpan.FromSeconds(1), retry.Delay);
    }

    [Fact]
    public void Unknown_without_a_stop_request_is_not_acted_on()
    {
        var process = NewProcess();
        Observe(process, T0, "Starting", "Running");

        Assert.Equal(SupervisorAction.None, process.Observe("Unknown", null, T0.AddSeconds(1)).Action);
    }

    [Theory]
    [InlineData("EARTH-TITAN-01", "agent-earth-titan-01")]
    [InlineData("EDGE-HELIOS-PRIME", "agent-edge-helios-prime")]
    [InlineData("node_7__b", "agent-node-7-b")]
    [InlineData("X-", "agent-x")]
    public void Agent_names_are_lowercase_kebab(string nodeId, string expected) =>
        Assert.Equal(expected, Planetary.AppHost.Fleet.FleetNames.Agent(nodeId));

    [Fact]
    public void Long_ids_are_cut_to_aspires_name_limit()
    {
        var name = Planetary.AppHost.Fleet.FleetNames.Router(new string('a', 70));

        Assert.Equal(64, name.Length);
        Assert.StartsWith("router-aaa", name);
    }

    [Fact]
    public void A_server_waits_the_initial_delay_before_its_first_restart_so_a_failover_can_happen()
    {
        var redis = new ExecutableResource("state-redis-1", "redis-server", "/");
        redis.Annotations.Add(new SupervisedAnnotation(restartAtOnce: false));
        var server = new SupervisedProcess(redis, "state-redis-1-abc", Backoff);
        Observe(server, T0, "Starting", "Running");

        Assert.Equal(TimeSpan.FromSeconds(1), server.Observe("Finished", 137, T0.AddSeconds(60)).Delay);
        Observe(server, T0.AddSeconds(62), "Starting", "Running");
        Assert.Equal(TimeSpan.FromSeconds(2), server.Observe("Finished", 137, T0.AddSeconds(64)).Delay);
    }

    private static SupervisedProcess NewProcess() =>
        new(new ExecutableResource("router-test", "dotnet", "/"), "router-test-abc", Backoff);

    private static void Observe(SupervisedProcess process, DateTimeOffset now, params string[] states)
    {
        foreach (var state in states)
        {
            Assert.Equal(SupervisorAction.None, process.Observe(state, null, now).Action);
        }
    }
}
