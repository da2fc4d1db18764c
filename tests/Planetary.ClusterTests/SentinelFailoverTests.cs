using System.Diagnostics;
using Planetary.ClusterTests.Fleet;
using StackExchange.Redis;
using Xunit.Abstractions;

namespace Planetary.ClusterTests;

/// <summary>
/// Redis with a replica and three Sentinels, routers committing with one replica acknowledgement (WAIT): the primary
/// dies mid-drill, a Sentinel promotes the replica, the services follow it, and nothing is lost.
/// </summary>
[Collection(ClusterFleetCollection.Name)]
public sealed class SentinelFailoverTests(ClusterFleet fleet, ITestOutputHelper output)
{
    private static readonly TimeSpan DrillTimeout = TimeSpan.FromMinutes(5);

    [Fact]
    public async Task The_Redis_primary_killed_mid_drill_is_replaced_by_Sentinel_and_the_drill_completes_with_nothing_lost()
    {
        var primaryPort = await fleet.PrimaryPortAsync();
        var victim = ClusterFleet.RedisName(Array.IndexOf(fleet.RedisPorts, primaryPort));
        Assert.Equal("1", Environment("router-earth").GetValueOrDefault("Fabric__JournalReplicaAcks"));

        var drill = await LiveDrill.StartAsync(fleet.Owner, jobsPerShard: 300, seed: 37);
        await drill.WaitUntilAsync(d => d.Finished >= 300, DrillTimeout, "300 jobs are finished");
        var pid = fleet.Pid(victim);
        var killedAt = drill.Elapsed;
        var clock = Stopwatch.StartNew();
        using (var process = Process.GetProcessById(pid))
        {
            process.Kill(); // SIGKILL: the primary is gone at once
        }

        int newPrimary;
        while ((newPrimary = await PrimaryPortOrZeroAsync()) == primaryPort || newPrimary == 0)
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), "no Sentinel promoted the replica within 60 s");
            await Task.Delay(100);
        }

        var promoted = clock.Elapsed;
        output.WriteLine($"kill -9 of the primary {victim} (port {primaryPort}, pid {pid}); Sentinel named port {newPrimary} the primary after {promoted.TotalSeconds:0.0} s");

        var summary = await drill.FinishAsync(DrillTimeout);
        var stall = drill.LongestStallSince(killedAt);
        foreach (var line in drill.Report(summary))
        {
            output.WriteLine(line);
        }

        output.WriteLine($"longest stall after the kill {stall.TotalSeconds:0.0} s");
        Assert.Equal(0, summary.JobsLost);
        Assert.Equal(summary.JobsSubmitted, summary.JobsCompleted + summary.JobsFailed);
        Assert.Empty(await BooksCheck.FinishedTwiceAsync(fleet.Redis));

        // The old primary was restarted by the app host and rejoined the set: a replica of the new primary, or (after a
        // later failover, which Sentinel may make on a loaded machine) the primary again with the other as its replica.
        await using var old = await ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{primaryPort},allowAdmin=true,connectRetry=20");
        var info = string.Empty;
        while (!Rejoined(info, newPrimary))
        {
            Assert.True(clock.Elapsed < TimeSpan.FromMinutes(2), $"{victim} did not rejoin the replication set: {info}");
            await Task.Delay(500);
            info = (await old.GetServer($"127.0.0.1:{primaryPort}").InfoRawAsync("replication")) ?? string.Empty;
        }

        output.WriteLine($"{victim} rejoined the set {clock.Elapsed.TotalSeconds:0.0} s after the kill, as " +
                         (info.Contains("role:slave", StringComparison.Ordinal) ? $"a replica of port {newPrimary}" : $"the primary again, port {newPrimary} its replica"));
    }

    private static bool Rejoined(string replicationInfo, int otherPort) =>
        replicationInfo.Contains("role:slave", StringComparison.Ordinal) ||
        (replicationInfo.Contains("role:master", StringComparison.Ordinal) &&
         replicationInfo.Contains($"port={otherPort},state=online", StringComparison.Ordinal));

    private async Task<int> PrimaryPortOrZeroAsync()
    {
        try
        {
            return await fleet.PrimaryPortAsync();
        }
        catch (RedisException)
        {
            return 0;
        }
    }

    private Dictionary<string, string?> Environment(string resource) =>
        fleet.Current(resource).Snapshot.EnvironmentVariables
            .GroupBy(variable => variable.Name, StringComparer.Ordinal)
            .ToDictionary(group => group.Key, group => group.Last().Value, StringComparer.Ordinal);
}
