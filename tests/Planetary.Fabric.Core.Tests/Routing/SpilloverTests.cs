using Planetary.Contracts;
using Planetary.Fabric.Journal;
using static Planetary.Fabric.Tests.Routing.RouterHarness;

namespace Planetary.Fabric.Tests.Routing;

/// <summary>Shard a has 20 queued tx jobs and no online node; ally b reports an empty queue and an online [x,z] node.</summary>
public sealed class SpilloverTests
{
    private static readonly string[][] OnlineXz = [["x", "z"]];

    private static RouterHarness Backlogged(int jobs = 20)
    {
        var h = new RouterHarness();
        h.Submit(Enumerable.Range(1, jobs).Select(i => $"tx:j{i:D2}").ToArray());
        return h;
    }

    [Fact]
    public void A_backlog_above_the_threshold_spills_the_newest_jobs_to_an_ally_that_can_run_them()
    {
        var h = Backlogged();
        h.AllyLoad("b", 0, OnlineXz);

        var step = h.TickOnce();

        var sent = Assert.Single(step.Entries.OfType<JobsSentToShard>());
        Assert.Equal("b", sent.ToShard);
        Assert.Equal(TransferReason.Spillover, sent.Reason);
        Assert.Equal(["j20", "j19", "j18", "j17"], sent.JobIds); // spilloverBatch 4, newest first
        var transfer = Assert.Single(Sent<TransferJobs>([step]));
        Assert.All(transfer.Jobs, j => Assert.Equal(1, j.Hops));
        Assert.Equal(16, h.State.Queue.Count);
    }

    [Fact]
    public void A_move_never_carries_more_than_half_the_gap()
    {
        var h = Backlogged(13);
        h.Set("routers.spilloverBatch", "100");
        h.AllyLoad("b", 2, OnlineXz); // gap 11 > threshold 10: move 5, not 11

        var sent = Assert.Single(h.TickOnce().Entries.OfType<JobsSentToShard>());

        Assert.Equal(5, sent.JobIds.Count);
    }

    [Fact]
    public void No_spill_while_the_gap_is_within_the_threshold()
    {
        var h = Backlogged(10);
        h.AllyLoad("b", 0, OnlineXz);

        Assert.Empty(h.TickOnce().Entries.OfType<JobsSentToShard>());
    }

    [Fact]
    public void The_cooldown_spaces_out_moves()
    {
        var h = Backlogged(40);
        h.AllyLoad("b", 0, OnlineXz);

        var ticks = new List<long>();
        for (var t = 0; t < 6; t++)
        {
            var step = h.TickOnce();
            if (step.Entries.OfType<JobsSentToShard>().Any())
            {
                ticks.Add(h.Now);
            }

            h.AllyLoad("b", 0, OnlineXz);
        }

        Assert.Equal([1L, 3L, 5L], ticks); // cooldownTicks 2
    }

    [Fact]
    public void Hysteresis_keeps_spilling_below_the_threshold_until_the_gap_is_half_of_it()
    {
        var h = Backlogged(22);
        h.AllyLoad("b", 0, OnlineXz);
        Assert.Single(h.TickOnce().Entries.OfType<JobsSentToShard>()); // gap 22: move 4 → 18 queued, ally estimate 4

        h.TickOnce(); // cooldown
        var second = h.TickOnce(); // gap 18 - 4 = 14 > 10: move 4 → 14 queued, ally 8
        Assert.Single(second.Entries.OfType<JobsSentToShard>());

        h.TickOnce();
        var third = h.TickOnce(); // gap 14 - 8 = 6: below the threshold, but spilling continues above half of it (5)
        Assert.Equal(3, Assert.Single(third.Entries.OfType<JobsSentToShard>()).JobIds.Count); // half of the gap

        var after = h.TickTo(h.Now + 4); // gap 11 - 11 = 0 ≤ 5: spilling stops at once and nothing more moves
        Assert.False(h.Router.Observations.Allies["b"].Spilling);
        Assert.Empty(RouterHarness.Entries<JobsSentToShard>(after));
    }

    [Fact]
    public void An_ally_without_an_online_node_that_can_run_the_jobs_gets_none()
    {
        var h = Backlogged();
        h.AllyLoad("b", 0, online: [["z"]], known: [["x", "z"]]);

        Assert.Empty(h.TickOnce().Entries.OfType<JobsSentToShard>());
    }

    [Fact]
    public void A_stale_ally_report_is_not_acted_on()
    {
        var h = Backlogged();
        h.AllyLoad("b", 0, OnlineXz);
        h.Wait(6); // heartbeatGraceTicks 5

        Assert.Empty(h.TickOnce().Entries.OfType<JobsSentToShard>());
    }

    [Fact]
    public void A_job_at_the_hop_limit_is_never_moved_again()
    {
        var h = new RouterHarness();
        h.Register("A2");
        h.Handle(new TransferJobs("t1", "b", "a", TransferReason.Spillover,
            Enumerable.Range(1, 20).Select(i => new TransferredJob($"j{i:D2}", "tx", "b", 2, 0, 0)).ToArray()));
        h.Set("nodes.A2.concurrency", "1");
        h.TickTo(20); // long past the settle time of arrivals
        h.AllyLoad("b", 0, OnlineXz);
        h.AllyLoad("b", 0, OnlineXz);

        Assert.Empty(h.TickOnce().Entries.OfType<JobsSentToShard>());
    }

    [Fact]
    public void A_job_is_never_spilled_straight_back_to_the_shard_it_came_from()
    {
        var h = new RouterHarness();
        h.Register("A2");
        h.Handle(new TransferJobs("t1", "b", "a", TransferReason.Spillover,
            Enumerable.Range(1, 20).Select(i => new TransferredJob($"j{i:D2}", "tx", "b", 1, 0, 0)).ToArray()));
        h.TickTo(20);
        h.AllyLoad("b", 0, OnlineXz);

        Assert.Empty(h.TickOnce().Entries.OfType<JobsSentToShard>());
    }

    [Fact]
    public void A_paused_shard_does_not_spill()
    {
        var h = Backlogged();
        h.Set("shards.a.paused", "true");
        h.AllyLoad("b", 0, OnlineXz);

        Assert.Empty(h.TickOnce().Entries.OfType<JobsSentToShard>());
    }

    [Fact]
    public void A_larger_spillover_batch_set_by_the_owner_moves_larger_batches()
    {
        var h = Backlogged(40);
        h.Set("routers.spilloverBatch", "8");
        h.AllyLoad("b", 0, OnlineXz);

        Assert.Equal(8, Assert.Single(h.TickOnce().Entries.OfType<JobsSentToShard>()).JobIds.Count);
    }
}
