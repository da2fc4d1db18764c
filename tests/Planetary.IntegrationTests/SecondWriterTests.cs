using System.Diagnostics;
using Planetary.Fabric.Reporting;
using Planetary.IntegrationTests.Fleet;
using Xunit.Abstractions;

namespace Planetary.IntegrationTests;

/// <summary>
/// One writer per shard, and one checkpointer, on the live fleet: a second process started by hand for a role that is
/// already served takes a new fencing epoch; the process it deposed fails its next commit and stops before acknowledging
/// anything; the app host restarts that one, which deposes the hand-started one in turn. Throughout, nothing runs twice.
/// </summary>
[Collection(LiveFleetCollection.Name)]
public sealed class SecondWriterTests(LiveFleet fleet, ITestOutputHelper output)
{
    private static readonly TimeSpan Finish = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task A_second_router_for_a_served_shard_stops_one_of_the_two_at_its_first_commit_and_nothing_is_assigned_twice()
    {
        var ids = (await fleet.SubmitAsync("luna", "logistics-routing", 1_200, "second-router")).ToList();
        await fleet.WaitUntil(() => fleet.Books.OutcomesAsync(ids).Result.Count > 100, TimeSpan.FromSeconds(60), "luna is working through the jobs", ids);
        var original = fleet.Observed.Shards["luna"].ProcessId;
        var startedAt = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        int secondPid;

        using (var second = await ManualService.StartAsync(fleet, "ShardRouter", ("Fabric__ShardId", "luna")))
        {
            secondPid = second.ProcessId;
            // The hand-started router claims luna; the served one fails its next commit and the app host restarts it, which
            // claims luna back, so the hand-started one fails in turn and exits.
            Assert.True(await second.WaitForExitAsync(TimeSpan.FromSeconds(120)), $"the second router still runs:\n{Tail(second.Output)}");
            output.WriteLine($"second router (pid {second.ProcessId}) stopped:\n{Tail(second.Output)}");
            Assert.Contains("another router process owns this shard", second.Output);
        }

        await fleet.WaitUntil(
            () => fleet.Observed.Resumes.Any(r => r.ShardId == "luna" && r.ProcessId != original && r.ProcessId != secondPid && r.StartedAtMs >= startedAt),
            TimeSpan.FromSeconds(60), "the app host restarts the deposed router of luna");
        var outcomes = await fleet.WaitForOutcomesAsync(ids, Finish);
        Assert.Equal(ids.Count, outcomes.Count);
        Assert.All(await fleet.FinishesPerJobAsync(ids), f => Assert.Equal(1, f.Value));
        var timeline = await fleet.Books.TimelinesAsync(ids);
        var assignedTwice = timeline.Where(e => e.Event == JobEventKind.Assigned).GroupBy(e => (e.Job, e.Attempt)).Where(g => g.Count() > 1).Select(g => g.Key).ToArray();
        Assert.True(assignedTwice.Length == 0, $"attempts assigned twice: {string.Join(", ", assignedTwice.Take(5))}");

        // The survivor serves, and a later kill -9 of it recovers cleanly.
        var survivor = fleet.Observed.Resumes.Last(r => r.ShardId == "luna" && r.ProcessId != secondPid && r.StartedAtMs >= startedAt).ProcessId;
        var killedAt = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        Process.GetProcessById(survivor).Kill();
        await fleet.WaitUntil(() => fleet.Observed.Resumes.Any(r => r.ShardId == "luna" && r.ProcessId != survivor && r.StartedAtMs >= killedAt),
            TimeSpan.FromSeconds(90), "the killed survivor is restarted");
        var after = await fleet.SubmitAsync("luna", "validation-sweep", 50, "second-router-after");
        await fleet.WaitForOutcomesAsync(after, Finish);
        Assert.All(await fleet.FinishesPerJobAsync(after), f => Assert.Equal(1, f.Value));
    }

    [Fact]
    public async Task A_second_checkpointer_stops_one_of_the_two_and_checkpoints_go_on()
    {
        var startedAt = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var ids = (await fleet.SubmitAsync("mars", "terraforming-survey", 300, "second-checkpointer")).ToList();

        using (var second = await ManualService.StartAsync(fleet, "Checkpointer"))
        {
            Assert.True(await second.WaitForExitAsync(TimeSpan.FromSeconds(120)), $"the second checkpointer still runs:\n{Tail(second.Output)}");
            output.WriteLine($"second checkpointer (pid {second.ProcessId}) stopped:\n{Tail(second.Output)}");
            Assert.Contains("another checkpointer owns the snapshots", second.Output);
        }

        var stoppedAt = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        await fleet.WaitUntil(() => fleet.Observed.Checkpoints.Any(c => c.AtMs > stoppedAt), TimeSpan.FromSeconds(60), "the fleet's checkpointer writes again");
        await fleet.WaitForOutcomesAsync(ids, Finish);
        Assert.All(await fleet.FinishesPerJobAsync(ids), f => Assert.Equal(1, f.Value));

        // A router restart after all this restores the latest snapshot cleanly.
        var victim = fleet.Observed.Shards["mars"].ProcessId;
        var killedAt = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        Process.GetProcessById(victim).Kill();
        await fleet.WaitUntil(() => fleet.Observed.Resumes.Any(r => r.ShardId == "mars" && r.ProcessId != victim && r.StartedAtMs >= killedAt),
            TimeSpan.FromSeconds(90), "router-mars is restarted");
        var resumed = fleet.Observed.Resumes.Last(r => r.ShardId == "mars" && r.ProcessId != victim);
        Assert.True(resumed.ResumedFromCheckpoint);
        Assert.Contains(fleet.Observed.Checkpoints, c => c.ShardId == "mars" && c.AtMs >= startedAt);
    }

    private static string Tail(string text) => string.Join("\n", text.Split('\n').TakeLast(15));
}
