using Planetary.Contracts;
using Planetary.Fabric.Journal;
using Planetary.Fabric.Runtime.Ports;
using Planetary.Fabric.Runtime.Routers;
using Planetary.Fabric.Simulation.Ports;
using static Planetary.Fabric.Simulation.Tests.Runtime.ShellHarness;

namespace Planetary.Fabric.Simulation.Tests.Runtime;

/// <summary>One writer per shard and one checkpointer, fenced by epochs taken at start and checked in every commit.</summary>
public sealed class FencingTests
{
    [Fact]
    public void A_second_router_of_a_shard_takes_it_and_the_first_stops_at_its_next_commit_without_acknowledging()
    {
        var h = new ShellHarness();
        var first = h.Router();
        Run(first.StartAsync(CancellationToken.None));
        Process(first, Submit("earth", "j1"));
        var second = h.Router();
        Run(second.StartAsync(CancellationToken.None));
        Assert.True(second.Epoch > first.Epoch);

        var late = Submit("earth", "j2");
        var stopped = Assert.Throws<ProcessStoppedException>(() => Process(first, late));

        Assert.Contains("another router process owns this shard", stopped.Reason);
        Assert.False(((SimulatedAck)late.Ack!).Acknowledged); // the broker will deliver it again, to the new owner
        Assert.DoesNotContain(h.Store.Timeline, e => e.JobId == "j2");
        Process(second, late);
        Assert.True(((SimulatedAck)late.Ack!).Acknowledged);
        Assert.Contains("j1", second.Router.State.Jobs.Keys); // the new owner restored what the first had committed
        Assert.Contains("j2", second.Router.State.Jobs.Keys);
    }

    [Fact]
    public void An_idle_deposed_router_notices_within_one_status_interval()
    {
        var h = new ShellHarness();
        var first = h.Router();
        Run(first.StartAsync(CancellationToken.None));
        Run(h.Router().StartAsync(CancellationToken.None));

        var ticks = 0;
        var stopped = Assert.Throws<ProcessStoppedException>(() =>
        {
            while (ticks++ < 100)
            {
                Process(first, RouterWork.Tick.Once);
            }
        });

        Assert.InRange(ticks, 1, new RouterShellOptions().StatusIntervalTicks);
        Assert.Contains("owns this shard now", stopped.Reason);
    }

    [Fact]
    public void A_second_checkpointer_fences_the_first()
    {
        var h = new ShellHarness();
        var router = h.Router();
        Run(router.StartAsync(CancellationToken.None));
        Process(router, Submit("earth", "j1"));
        var first = h.Checkpointer();
        Run(first.StartAsync(CancellationToken.None));
        Assert.NotNull(Run(first.CheckpointAsync("earth", 3, CancellationToken.None)));

        var second = h.Checkpointer();
        Run(second.StartAsync(CancellationToken.None));
        Process(router, Submit("earth", "j2"));

        var stopped = Assert.Throws<ProcessStoppedException>(() => Run(first.CheckpointAsync("earth", 3, CancellationToken.None)));
        Assert.Contains("another checkpointer owns the snapshots", stopped.Reason);
        Assert.NotNull(Run(second.CheckpointAsync("earth", 3, CancellationToken.None)));
    }

    [Fact]
    public void The_latest_snapshot_is_the_one_at_the_highest_journal_position_not_the_last_written()
    {
        var store = new MemoryStateStore(recordTimeline: false, new SimulatedClock());
        var epoch = Run(store.ClaimAsync(CancellationToken.None));
        Run(store.WriteAsync(epoch, Meta("earth@9", 9), [1], 3, CancellationToken.None));
        Run(store.WriteAsync(epoch, Meta("earth@4", 4), [2], 3, CancellationToken.None)); // a slow fold, written late

        Assert.Equal("earth@9", Run(store.LatestAsync("earth", CancellationToken.None))!.Meta.Id);
    }

    [Fact]
    public void An_append_that_does_not_follow_the_last_commit_is_refused()
    {
        var store = new MemoryStateStore(recordTimeline: false, new SimulatedClock());
        var claim = Run(store.ClaimAsync("earth", CancellationToken.None));

        var e = Assert.Throws<JournalGapException>(() => Run(store.AppendAsync(
            new JournalCommit("earth", claim.Epoch, claim.LastSeq + 2, 1, [new TombstonesExpired(1, 0)], [], [], 0, 3600), CancellationToken.None)));
        Assert.Equal(claim.LastSeq + 2, e.Expected);
    }

    private static SnapshotMeta Meta(string id, long seq) => new(id, "earth", new JournalPosition(seq, $"{seq}"), seq, 1, 0, 0, 0);
}
