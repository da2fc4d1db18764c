using Planetary.Contracts;
using Planetary.Fabric.Journal;
using Planetary.Fabric.Routing;

namespace Planetary.Fabric.Tests.Routing;

/// <summary>Tombstones by id and in the order they were made: a job that left twice is one tombstone, expiry follows the order.</summary>
public sealed class TombstoneBookTests
{
    [Fact]
    public void A_job_that_failed_was_requeued_and_failed_again_has_one_tombstone_the_later_one()
    {
        var (h, firstTick, secondTick) = FailedRequeuedAndFailedAgain("j1");

        Assert.True(secondTick > firstTick);
        Assert.Equal([("j1", secondTick)], h.State.Tombstones.InOrder.Select(t => (t.JobId, t.Stone.Tick)));
        Assert.Equal(firstTick, h.State.OldestTombstoneTick); // the replaced one stays in the order until expiry passes it
        Assert.Equal(["j1"], RouterSnapshot.Capture(h.State).Tombstones.JobIds);
    }

    [Fact]
    public void Expiry_forgets_what_was_made_up_to_its_tick_and_keeps_a_tombstone_made_again_later()
    {
        var (h, firstTick, secondTick) = FailedRequeuedAndFailedAgain("j1");

        h.State.Apply(new TombstonesExpired(secondTick, firstTick));

        Assert.Equal(secondTick, h.State.Tombstones["j1"].Tick);
        Assert.Equal(secondTick, h.State.OldestTombstoneTick);

        h.State.Apply(new TombstonesExpired(secondTick, secondTick));

        Assert.Empty(h.State.Tombstones);
        Assert.Null(h.State.OldestTombstoneTick);
    }

    [Fact]
    public void A_snapshot_restores_the_tombstones_in_their_order()
    {
        var h = new RouterHarness();
        h.Register("A1");
        h.Submit("tx:j1", "tx:j2", "tx:j3");
        h.TickOnce();
        h.Result("A1", "j2", 1, succeeded: true);
        h.TickOnce();
        h.Result("A1", "j1", 1, succeeded: true);
        h.Handle(new CancelJob("a", "j3", "owner"));
        var order = h.State.Tombstones.InOrder.ToArray();

        var restored = RouterSnapshot.Capture(h.State);
        h.RestartFrom(restored, h.Journal.Count);

        Assert.Equal(order, h.State.Tombstones.InOrder.ToArray());
        Assert.Equal(["j2", "j1", "j3"], order.Select(t => t.JobId));
    }

    /// <summary>The job fails (a tombstone), the owner requeues it (no tombstone while it is live) and it fails again.</summary>
    private static (RouterHarness Harness, long FirstTick, long SecondTick) FailedRequeuedAndFailedAgain(string jobId)
    {
        var h = new RouterHarness();
        var first = h.FailTwice(jobId);
        var firstTick = h.State.Tombstones[jobId].Tick;
        h.Requeue([first], jobId);
        Assert.False(h.State.Tombstones.ContainsKey(jobId));
        h.TickOnce();
        h.Result("A1", jobId, 3, succeeded: false);
        h.TickOnce();
        h.Result("A1", jobId, 4, succeeded: false);
        return (h, firstTick, h.State.Tombstones[jobId].Tick);
    }
}
