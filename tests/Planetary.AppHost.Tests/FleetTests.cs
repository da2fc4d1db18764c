using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Planetary.AppHost.Fleet;
using Planetary.AppHost.Supervision;
using Xunit.Abstractions;

namespace Planetary.AppHost.Tests;

/// <summary>
/// The app host as the operator runs it (local servers, whole fleet). Each test leaves the fleet running and
/// healthy, so they pass in any order.
/// </summary>
[Collection(FleetCollection.Name)]
public sealed class FleetTests(FleetFixture fleet, ITestOutputHelper output)
{
    [Fact(Timeout = TestTimeouts.TestMilliseconds)]
    public async Task Fleet_has_a_router_per_shard_and_an_agent_per_node_with_their_ids_and_the_manifest()
    {
        var manifest = fleet.Manifest;
        var model = fleet.App.Services.GetRequiredService<DistributedApplicationModel>();
        var projects = model.Resources.OfType<ProjectResource>().Select(resource => resource.Name).Order().ToList();
        Assert.Equal(fleet.ServiceNames.Order(), projects);
        Assert.NotEmpty(manifest.Shards);
        Assert.NotEmpty(manifest.Nodes);

        foreach (var shard in manifest.Shards)
        {
            var environment = await EnvironmentOfAsync(FleetNames.Router(shard.Id));
            Assert.Equal(shard.Id, environment[FleetEnvironment.ShardId]);
            AssertFabricService(environment);
        }

        foreach (var node in manifest.Nodes)
        {
            var name = FleetNames.Agent(node.Id);
            Assert.Equal($"agent-{node.Id.ToLowerInvariant()}", name);
            var environment = await EnvironmentOfAsync(name);
            Assert.Equal(node.Id, environment[FleetEnvironment.NodeId]); // exact case, as in the manifest
            AssertFabricService(environment);
            Assert.Contains(fleet.Current(name).Snapshot.Commands, command => command.Name == "take-offline");
        }

        var ownerControl = await EnvironmentOfAsync(FleetNames.OwnerControl);
        AssertFabricService(ownerControl);
        Assert.Equal(fleet.OwnerToken, ownerControl[FleetEnvironment.OwnerToken]);
        AssertFabricService(await EnvironmentOfAsync(FleetNames.Checkpointer));

        var commands = fleet.Current(FleetNames.OwnerControl).Snapshot.Commands.Select(command => command.Name).ToList();
        Assert.Superset(new HashSet<string> { "run-drill", "pause-fabric", "resume-fabric", "checkpoint-now" }, commands.ToHashSet());
        Assert.Equal("127.0.0.1", fleet.App.GetEndpoint(FleetNames.OwnerControl, "http").Host);
    }

    [Fact(Timeout = TestTimeouts.TestMilliseconds)]
    public async Task Every_service_becomes_healthy()
    {
        using var deadline = new CancellationTokenSource(TestTimeouts.Resource);
        foreach (var name in fleet.ServiceNames)
        {
            await fleet.Notifications.WaitForResourceHealthyAsync(name, deadline.Token).WaitAsync(TestTimeouts.Resource);
        }

        output.WriteLine($"{fleet.ServiceNames.Count} services healthy {fleet.HealthyAfter.TotalSeconds:0.0} s after the app host began starting " +
                         $"(StartAsync returned after {fleet.StartDuration.TotalSeconds:0.0} s), and still healthy {fleet.Uptime.TotalSeconds:0.0} s after");
    }

    [Fact(Timeout = TestTimeouts.TestMilliseconds)]
    public async Task Routers_run_the_throughput_collector_and_every_other_service_the_lean_one_with_a_small_gen0_budget()
    {
        using var deadline = new CancellationTokenSource(TestTimeouts.Resource);
        var routers = fleet.Manifest.Shards.Select(shard => FleetNames.Router(shard.Id)).ToHashSet(StringComparer.Ordinal);
        foreach (var name in fleet.ServiceNames)
        {
            var healthy = await fleet.Notifications.WaitForResourceHealthyAsync(name, deadline.Token).WaitAsync(TestTimeouts.Resource);
            var pid = ServiceProcesses.Pid(healthy.Snapshot);
            var lean = !routers.Contains(name);

            // What the process was started with, read from Linux, not from the app host's model.
            var environment = ServiceProcesses.Environment(pid);
            Assert.Equal(lean ? ServiceRuntime.Gen0Budget : null, environment.GetValueOrDefault(ServiceRuntime.Gen0BudgetVariable));

            // What its runtime reads at start: the runtimeconfig.json beside the program it runs.
            var program = ServiceProcesses.CommandLine(pid).Split(' ')[0];
            using var runtimeConfig = JsonDocument.Parse(File.ReadAllText(program + ".runtimeconfig.json"));
            var properties = runtimeConfig.RootElement.GetProperty("runtimeOptions").GetProperty("configProperties");
            Assert.True(Setting(properties, "System.GC.Server", runtimeDefault: false) != lean, $"{name}: System.GC.Server");
            Assert.True(Setting(properties, "System.GC.Concurrent", runtimeDefault: true) != lean, $"{name}: System.GC.Concurrent");
        }
    }

    [Fact(Timeout = TestTimeouts.TestMilliseconds)]
    public async Task Dashboard_commands_call_owner_control_with_the_owner_token()
    {
        var agent = FleetNames.Agent(fleet.Manifest.Nodes[0].Id);
        using var deadline = new CancellationTokenSource(TestTimeouts.Resource);
        await fleet.Notifications.WaitForResourceHealthyAsync(FleetNames.OwnerControl, deadline.Token).WaitAsync(TestTimeouts.Resource);
        await fleet.Notifications.WaitForResourceHealthyAsync(agent, deadline.Token).WaitAsync(TestTimeouts.Resource);

        // Without the token the API refuses, so a command that succeeds must have sent it.
        using var anonymous = fleet.App.CreateHttpClient(FleetNames.OwnerControl, "http");
        using var refused = await anonymous.PostAsync("/api/resume", new StringContent("{}", System.Text.Encoding.UTF8, "application/json"), deadline.Token);
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, refused.StatusCode);

        var resume = await fleet.Commands.ExecuteCommandAsync(FleetNames.OwnerControl, "resume-fabric", deadline.Token).WaitAsync(TestTimeouts.Resource);
        Assert.True(resume.Success, resume.Message);

        // "Take offline" lives on the agent but calls owner-control's endpoint (a short fault: 100 ticks).
        var offline = await fleet.Commands.ExecuteCommandAsync(agent, "take-offline", deadline.Token).WaitAsync(TestTimeouts.Resource);
        Assert.True(offline.Success, offline.Message);
        output.WriteLine($"resume-fabric: {resume.Data?.Value}");
        output.WriteLine($"take-offline: {offline.Data?.Value}");
    }

    [Fact(Timeout = TestTimeouts.TestMilliseconds)]
    public async Task Killed_router_process_is_restarted_by_the_supervisor_and_becomes_healthy_again()
    {
        var router = FleetNames.Router(fleet.Manifest.Shards[^1].Id); // not the one the stop test uses
        using var deadline = new CancellationTokenSource(TestTimeouts.Resource);
        var before = await fleet.Notifications.WaitForResourceHealthyAsync(router, deadline.Token).WaitAsync(TestTimeouts.Resource);
        var pid = ServiceProcesses.Pid(before.Snapshot);
        Assert.EndsWith("Planetary.ShardRouter", ServiceProcesses.CommandLine(pid)); // the service itself, no dotnet run in between
        var restartsBefore = SupervisorSnapshots.Restarts(before.Snapshot);

        var clock = Stopwatch.StartNew();
        using (var process = Process.GetProcessById(pid))
        {
            process.Kill(); // SIGKILL: no shutdown code runs
        }

        var restarted = await fleet.Notifications.WaitForResourceAsync(
                router,
                resourceEvent => resourceEvent.Snapshot.State?.Text == KnownResourceStates.Running &&
                                 ServiceProcesses.TryPid(resourceEvent.Snapshot) is { } newPid && newPid != pid,
                deadline.Token)
            .WaitAsync(TestTimeouts.Resource);
        var running = clock.Elapsed;
        var newPid = ServiceProcesses.Pid(restarted.Snapshot);
        await fleet.Notifications.WaitForResourceAsync(
                router,
                resourceEvent => resourceEvent.Snapshot.HealthStatus == HealthStatus.Healthy &&
                                 ServiceProcesses.TryPid(resourceEvent.Snapshot) == newPid,
                deadline.Token)
            .WaitAsync(TestTimeouts.Resource);
        output.WriteLine($"kill -9 of {router} (pid {pid}): running again as pid {newPid} after {running.TotalSeconds:0.0} s, " +
                         $"healthy after {clock.Elapsed.TotalSeconds:0.0} s");

        Assert.False(ServiceProcesses.IsRunning(pid));
        Assert.True(ServiceProcesses.IsRunning(newPid));
        var restartsAfter = await fleet.Notifications.WaitForRestartsAsync(router, restartsBefore + 1, deadline.Token);
        output.WriteLine($"{SupervisorProperties.Restarts} = {restartsAfter}; " +
                         $"{SupervisorProperties.LastEvent} = {fleet.Current(router).Snapshot.Properties.Single(p => p.Name == SupervisorProperties.LastEvent).Value}");
    }

    [Fact(Timeout = TestTimeouts.TestMilliseconds)]
    public async Task Service_stopped_through_the_stop_command_is_not_restarted()
    {
        var router = FleetNames.Router(fleet.Manifest.Shards[0].Id);
        var quietPeriod = TimeSpan.FromSeconds(6); // longer than the supervisor's first restart delay (1 s) and then some
        using var deadline = new CancellationTokenSource(TestTimeouts.Resource);
        var before = await fleet.Notifications.WaitForResourceHealthyAsync(router, deadline.Token).WaitAsync(TestTimeouts.Resource);
        var pid = ServiceProcesses.Pid(before.Snapshot);
        var restartsBefore = SupervisorSnapshots.Restarts(before.Snapshot);

        var clock = Stopwatch.StartNew();
        var stop = await fleet.Commands.ExecuteCommandAsync(router, KnownResourceCommands.StopCommand, deadline.Token)
            .WaitAsync(TestTimeouts.Resource);
        var stopped = await fleet.Notifications.WaitForResourceAsync(
                router, resourceEvent => IsEnded(resourceEvent.Snapshot.State?.Text), deadline.Token)
            .WaitAsync(TestTimeouts.Resource);
        output.WriteLine($"Stop of {router}: success {stop.Success} ({stop.Message}); {stopped.Snapshot.State?.Text} " +
                         $"(exit code {stopped.Snapshot.ExitCode}) after {clock.Elapsed.TotalSeconds:0.0} s");

        // Nothing may start it again: the state stays ended, no process comes back, the restart count stays.
        using var quiet = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token);
        quiet.CancelAfter(quietPeriod);
        var restartedAnyway = fleet.Notifications.WaitForResourceAsync(
            router, resourceEvent => !IsEnded(resourceEvent.Snapshot.State?.Text), quiet.Token);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => restartedAnyway.WaitAsync(quietPeriod * 2));
        Assert.True(IsEnded(fleet.Current(router).Snapshot.State?.Text));
        Assert.Equal(restartsBefore, SupervisorSnapshots.Restarts(fleet.Current(router).Snapshot));
        Assert.False(ServiceProcesses.IsRunning(pid));

        // Leave the fleet as we found it: the operator starts it again.
        var start = await fleet.Commands.ExecuteCommandAsync(router, KnownResourceCommands.StartCommand, deadline.Token)
            .WaitAsync(TestTimeouts.Resource);
        Assert.True(start.Success, start.Message);
        await fleet.Notifications.WaitForResourceAsync(
                router,
                resourceEvent => resourceEvent.Snapshot.HealthStatus == HealthStatus.Healthy &&
                                 ServiceProcesses.TryPid(resourceEvent.Snapshot) is { } newPid && newPid != pid,
                deadline.Token)
            .WaitAsync(TestTimeouts.Resource);
    }

    /// <summary>A boolean runtime setting as the runtime reads it: the runtimeconfig.json value, else the runtime's default.</summary>
    private static bool Setting(JsonElement properties, string name, bool runtimeDefault) =>
        properties.TryGetProperty(name, out var value) ? value.GetBoolean() : runtimeDefault;

    private static bool IsEnded(string? state) =>
        state is not null && (KnownResourceStates.TerminalStates.Contains(state) || state == "Unknown");

    /// <summary>The environment the app host gave the running service (from its snapshot).</summary>
    private async Task<Dictionary<string, string?>> EnvironmentOfAsync(string name)
    {
        using var deadline = new CancellationTokenSource(TestTimeouts.Resource);
        var resourceEvent = await fleet.Notifications.WaitForResourceAsync(
                name, candidate => candidate.Snapshot.EnvironmentVariables.Any(variable => variable.Name == FleetEnvironment.ManifestPath), deadline.Token)
            .WaitAsync(TestTimeouts.Resource);
        return resourceEvent.Snapshot.EnvironmentVariables
            .GroupBy(variable => variable.Name, StringComparer.Ordinal)
            .ToDictionary(group => group.Key, group => group.Last().Value, StringComparer.Ordinal);
    }

    private void AssertFabricService(IReadOnlyDictionary<string, string?> environment)
    {
        Assert.Equal(fleet.ManifestPath, environment[FleetEnvironment.ManifestPath]);
        Assert.StartsWith("amqp://", environment["ConnectionStrings__eventbus"]);
        Assert.False(string.IsNullOrEmpty(environment["ConnectionStrings__state"]));
    }
}
