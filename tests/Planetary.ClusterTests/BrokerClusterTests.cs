using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Planetary.ClusterTests.Fleet;
using Planetary.LocalServers;
using Xunit.Abstractions;

namespace Planetary.ClusterTests;

/// <summary>The fleet on a three-node RabbitMQ cluster with quorum queues: one node dies mid-drill and nothing is lost.</summary>
[Collection(ClusterFleetCollection.Name)]
public sealed class BrokerClusterTests(ClusterFleet fleet, ITestOutputHelper output)
{
    private static readonly TimeSpan DrillTimeout = TimeSpan.FromMinutes(5);

    [Fact]
    public async Task The_three_nodes_form_one_cluster_and_every_fabric_queue_is_a_quorum_queue()
    {
        var status = await fleet.RabbitMqCtlAsync(1, "cluster_status", "--formatter", "json");
        Assert.True(status.ExitCode == 0, status.Output);
        var running = RunningNodes(status.Output);
        Assert.Equal(fleet.AmqpPorts.Select(RabbitMqLocalLayout.NodeNameFor).Order(), running.Order());

        var queues = await fleet.RabbitMqCtlAsync(0, "list_queues", "name", "type", "--formatter", "json");
        Assert.True(queues.ExitCode == 0, queues.Output);
        var types = JsonDocument.Parse(JsonStart(queues.Output)).RootElement.EnumerateArray()
            .ToDictionary(queue => queue.GetProperty("name").GetString()!, queue => queue.GetProperty("type").GetString()!);
        output.WriteLine(string.Join(", ", types.Select(queue => $"{queue.Key} ({queue.Value})")));
        // Every service's own queue (router-*, node-*, checkpointer, owner-control) is replicated across the nodes.
        var fabricQueues = types.Where(queue => queue.Key.StartsWith("router-", StringComparison.Ordinal) ||
                                                queue.Key.StartsWith("node-", StringComparison.Ordinal) ||
                                                queue.Key is "checkpointer" or "owner-control").ToList();
        Assert.Equal(4 + 6 + 2, fabricQueues.Count);
        Assert.All(fabricQueues, queue => Assert.True(queue.Value == "quorum", $"{queue.Key} is a {queue.Value} queue"));

        var connection = Environment(FleetServiceName).GetValueOrDefault("ConnectionStrings__eventbus");
        Assert.Equal(fleet.AmqpPorts.Select(port => $"127.0.0.1:{port}"), Planetary.Fabric.Hosting.Messaging.EventBusAddress.Nodes(connection!));
    }

    [Fact]
    public async Task A_broker_node_killed_mid_drill_rejoins_and_the_drill_completes_with_nothing_lost_or_finished_twice()
    {
        var drill = await LiveDrill.StartAsync(fleet.Owner, jobsPerShard: 300, seed: 31);
        await drill.WaitUntilAsync(d => d.Finished >= 300, DrillTimeout, "300 jobs are finished");

        // The first node: the one every service's connection string names first (and the queues' leaders live on).
        var victim = ClusterFleet.BrokerName(0);
        var pid = fleet.Pid(victim);
        var killedAt = drill.Elapsed;
        var clock = Stopwatch.StartNew();
        using (var process = Process.GetProcessById(pid))
        {
            process.Kill(); // SIGKILL of the Erlang VM
        }

        // The app host restarts the node; it boots, rejoins the cluster and answers AMQP again (healthy).
        var restarted = fleet.Notifications.WaitForResourceAsync(victim,
                e => e.Snapshot.HealthStatus == HealthStatus.Healthy &&
                     e.Snapshot.Properties.Any(p => p.Name == "executable.pid" && p.Value?.ToString() is { Length: > 0 } value && value != pid.ToString(System.Globalization.CultureInfo.InvariantCulture)))
            .ContinueWith(_ => clock.Elapsed, TaskScheduler.Default);

        var summary = await drill.FinishAsync(DrillTimeout);
        var stall = drill.LongestStallSince(killedAt);
        output.WriteLine($"kill -9 of {victim} (pid {pid}) with {drill.Submitted} submitted; the drill's longest stall afterwards {stall.TotalSeconds:0.0} s");
        foreach (var line in drill.Report(summary))
        {
            output.WriteLine(line);
        }

        Assert.Equal(0, summary.JobsLost);
        Assert.Equal(summary.JobsSubmitted, summary.JobsCompleted + summary.JobsFailed);
        Assert.Empty(await BooksCheck.FinishedTwiceAsync(fleet.Redis));

        // The node is back (the app host restarted it) and a running member of the cluster again.
        var back = await restarted.WaitAsync(TimeSpan.FromMinutes(1));
        var status = await fleet.RabbitMqCtlAsync(1, "cluster_status", "--formatter", "json");
        Assert.Contains(RabbitMqLocalLayout.NodeNameFor(fleet.AmqpPorts[0]), RunningNodes(status.Output));
        output.WriteLine($"{victim} restarted by the app host and healthy {back.TotalSeconds:0.0} s after the kill; cluster_status lists it running");
    }

    private const string FleetServiceName = "router-earth";

    private Dictionary<string, string?> Environment(string resource) =>
        fleet.Current(resource).Snapshot.EnvironmentVariables
            .GroupBy(variable => variable.Name, StringComparer.Ordinal)
            .ToDictionary(group => group.Key, group => group.Last().Value, StringComparer.Ordinal);

    private static List<string> RunningNodes(string clusterStatusJson) =>
        JsonDocument.Parse(JsonStart(clusterStatusJson)).RootElement.GetProperty("running_nodes").EnumerateArray()
            .Select(node => node.GetString()!).ToList();

    /// <summary>rabbitmqctl may print a warning line before its JSON.</summary>
    private static string JsonStart(string output) => output[output.IndexOfAny(['{', '['])..];
}
