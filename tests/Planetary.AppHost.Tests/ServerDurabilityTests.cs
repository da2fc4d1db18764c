using System.Diagnostics;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Planetary.AppHost.Supervision;
using Xunit.Abstractions;

namespace Planetary.AppHost.Tests;

/// <summary>
/// The servers' data is durable by default (issue 8): a restart of the app host finds it, a server killed with
/// <c>kill -9</c> is restarted by the supervisor on the same data, and only <c>Infrastructure:Wipe=true</c> deletes it
/// (saying what it deletes).
/// </summary>
public sealed class ServerDurabilityTests(ITestOutputHelper output, DiagnosticSink sink) : IClassFixture<DiagnosticSink>
{
    [Fact(Timeout = 4 * TestTimeouts.TestMilliseconds)]
    public async Task Data_survives_a_restart_of_the_app_host_and_only_a_wipe_deletes_it_saying_what()
    {
        using var deadline = new CancellationTokenSource(TestTimeouts.Start * 2);
        var state = Directory.CreateTempSubdirectory("planetary-durable-").FullName;
        try
        {
            var arguments = InfrastructureHost.LocalArguments(state);
            var marker = Guid.NewGuid().ToString("N");
            await using (var first = await InfrastructureHost.StartAsync(sink.Sink, arguments, deadline.Token))
            {
                await ServerProbes.WriteAsync(await RedisAsync(first), await RabbitMqAsync(first), marker);
                Assert.Contains(first.Log, line => line.Contains("their data is kept in " + state, StringComparison.Ordinal));
            }

            await using (var second = await InfrastructureHost.StartAsync(sink.Sink, arguments, deadline.Token))
            {
                Assert.Equal(marker, await ServerProbes.ReadKeyAsync(await RedisAsync(second)));
                Assert.Equal(marker, await ServerProbes.PeekMessageAsync(await RabbitMqAsync(second)));
                Assert.DoesNotContain(second.Log, line => line.Contains("Wipe", StringComparison.Ordinal));
            }

            await using (var wiped = await InfrastructureHost.StartAsync(sink.Sink, [.. arguments, "--Infrastructure:Wipe=true"], deadline.Token))
            {
                Assert.Null(await ServerProbes.ReadKeyAsync(await RedisAsync(wiped)));
                Assert.Null(await ServerProbes.PeekMessageAsync(await RabbitMqAsync(wiped)));
                var wipes = wiped.Log.Where(line => line.StartsWith("Wipe", StringComparison.Ordinal)).ToList();
                wipes.ForEach(output.WriteLine);
                Assert.Contains(wipes, line => line.Contains("deleting RabbitMQ data in " + state, StringComparison.Ordinal) &&
                                                line.Contains("queues", StringComparison.Ordinal));
                Assert.Contains(wipes, line => line.Contains("deleting Redis data in " + state, StringComparison.Ordinal) &&
                                                line.Contains("the owner log", StringComparison.Ordinal));
            }
        }
        finally
        {
            Directory.Delete(state, recursive: true);
        }
    }

    [Fact(Timeout = 3 * TestTimeouts.TestMilliseconds)]
    public async Task A_server_killed_with_kill_9_is_restarted_by_the_supervisor_with_its_data()
    {
        using var deadline = new CancellationTokenSource(TestTimeouts.Start * 2);
        var state = Directory.CreateTempSubdirectory("planetary-heal-").FullName;
        try
        {
            await using var host = await InfrastructureHost.StartAsync(sink.Sink, InfrastructureHost.LocalArguments(state), deadline.Token);
            var redis = await RedisAsync(host);
            var rabbitMq = await RabbitMqAsync(host);
            var marker = Guid.NewGuid().ToString("N");
            await ServerProbes.WriteAsync(redis, rabbitMq, marker);

            foreach (var server in new[] { "state", "eventbus" })
            {
                var before = host.Current(server).Snapshot;
                var pid = ServiceProcesses.Pid(before);
                var restartsBefore = SupervisorSnapshots.Restarts(before);
                var clock = Stopwatch.StartNew();
                using (var process = Process.GetProcessById(pid))
                {
                    process.Kill(); // SIGKILL: no shutdown, no flush
                }

                var healed = await host.Notifications.WaitForResourceAsync(
                        server,
                        resourceEvent => resourceEvent.Snapshot.HealthStatus == HealthStatus.Healthy &&
                                         ServiceProcesses.TryPid(resourceEvent.Snapshot) is { } newPid && newPid != pid,
                        deadline.Token)
                    .WaitAsync(TestTimeouts.Resource);
                var restarts = await host.Notifications.WaitForRestartsAsync(server, restartsBefore + 1, deadline.Token);
                output.WriteLine($"kill -9 of {server} (pid {pid}): healthy again as pid {ServiceProcesses.Pid(healed.Snapshot)} " +
                                 $"after {clock.Elapsed.TotalSeconds:0.0} s; {SupervisorProperties.Restarts} = {restarts}");
                Assert.False(ServiceProcesses.IsRunning(pid));
            }

            // The supervisor logs by resource id: the name and a suffix (state-abcdefgh).
            Assert.Contains(host.Log, line => line.StartsWith("state-", StringComparison.Ordinal) && line.Contains(" died ", StringComparison.Ordinal));
            Assert.Contains(host.Log, line => line.StartsWith("eventbus-", StringComparison.Ordinal) && line.Contains(" died ", StringComparison.Ordinal));
            Assert.Equal(marker, await ServerProbes.ReadKeyAsync(redis));           // appendfsync always: acknowledged = on disk
            Assert.Equal(marker, await ServerProbes.PeekMessageAsync(rabbitMq));    // confirmed persistent message
        }
        finally
        {
            Directory.Delete(state, recursive: true);
        }
    }

    private static async Task<string> RedisAsync(InfrastructureHost host) =>
        await host.ConnectionStringAsync("state", CancellationToken.None) ?? throw new InvalidOperationException("no state connection string");

    private static async Task<string> RabbitMqAsync(InfrastructureHost host) =>
        await host.ConnectionStringAsync("eventbus", CancellationToken.None) ?? throw new InvalidOperationException("no eventbus connection string");
}

/// <summary>Hands xunit's diagnostic sink (which only fixtures receive) to a test class.</summary>
public sealed class DiagnosticSink(IMessageSink sink)
{
    public IMessageSink Sink { get; } = sink;
}
