using System.Diagnostics;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Planetary.ClusterTests.Fleet;
using StackExchange.Redis;
using Xunit.Abstractions;

namespace Planetary.ClusterTests;

/// <summary>
/// The app host's containers mode (Docker or Podman): the Redis container and then the RabbitMQ container are killed
/// with SIGKILL in the middle of a drill; the app host starts them again on their volumes and nothing is lost.
/// Needs a container runtime (CI: Podman with the images of scripts/containers.sh).
/// </summary>
[Collection(ContainerFleetCollection.Name)]
[Trait("Category", "Containers")]
public sealed class ContainerKillTests(ContainerFleet fleet, ITestOutputHelper output)
{
    private static readonly TimeSpan DrillTimeout = TimeSpan.FromMinutes(8);

    [Fact]
    public async Task Killing_the_Redis_and_the_RabbitMQ_containers_mid_drill_loses_no_job()
    {
        output.WriteLine($"servers: {fleet.Infrastructure}");
        var drill = await LiveDrill.StartAsync(fleet.Owner, jobsPerShard: 300, seed: 41);
        var killedAt = TimeSpan.Zero;
        foreach (var (server, after) in new[] { ("state", 200L), ("eventbus", 600L) })
        {
            await drill.WaitUntilAsync(d => d.Finished >= after, DrillTimeout, $"{after} jobs are finished");
            var container = fleet.Property(server, "container.id");
            killedAt = killedAt == TimeSpan.Zero ? drill.Elapsed : killedAt;
            var clock = Stopwatch.StartNew();
            await fleet.KillContainerAsync(server);
            await fleet.Notifications.WaitForResourceAsync(server, e => e.Snapshot.State?.Text != KnownResourceStates.Running)
                .WaitAsync(TimeSpan.FromSeconds(60));
            await fleet.Notifications.WaitForResourceAsync(server,
                    e => e.Snapshot.State?.Text == KnownResourceStates.Running && e.Snapshot.HealthStatus == HealthStatus.Healthy)
                .WaitAsync(TimeSpan.FromMinutes(3)); // 42 s for the RabbitMQ container on a loaded machine
            output.WriteLine($"kill --signal KILL of the {server} container {container?[..12]} at {drill.Finished} finished: " +
                             $"running and healthy again after {clock.Elapsed.TotalSeconds:0.0} s (container {fleet.Property(server, "container.id")?[..12]})");
        }

        var summary = await drill.FinishAsync(DrillTimeout);
        foreach (var line in drill.Report(summary))
        {
            output.WriteLine(line);
        }

        output.WriteLine($"longest stall after the first kill {drill.LongestStallSince(killedAt).TotalSeconds:0.0} s");
        Assert.Equal(0, summary.JobsLost);
        Assert.Equal(summary.JobsSubmitted, summary.JobsCompleted + summary.JobsFailed);
        await using var redis = await ConnectionMultiplexer.ConnectAsync((await fleet.App.GetConnectionStringAsync("state"))!);
        Assert.Empty(await BooksCheck.FinishedTwiceAsync(redis));
    }
}
