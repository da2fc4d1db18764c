using static Planetary.Fabric.Tests.Routing.RouterHarness;

namespace Planetary.Fabric.Tests.Routing;

public sealed class PauseTests
{
    [Theory]
    [InlineData("shards.a.paused")]
    [InlineData("fabric.paused")]
    public void Pause_stops_assignment_and_keeps_queued_work_and_resume_continues_it(string path)
    {
        var h = new RouterHarness();
        h.Register("A1");
        h.Set(path, "true");
        h.Submit("tx:j1", "tx:j2");

        for (var t = 0; t < 5; t++)
        {
            h.Heartbeat("A1");
            Assert.Empty(Assignments(h.TickOnce()));
        }

        Assert.Equal(2, h.State.Queue.Count);

        Assert.Equal(["j1", "j2"], Assignments(h.Set(path, "false")).Select(a => a.Assignment.JobId).Order()); // resumed: assigned at once
    }

    [Fact]
    public void Pausing_another_shard_does_not_stop_this_one()
    {
        var h = new RouterHarness();
        h.Register("A1");
        h.Set("shards.b.paused", "true");

        Assert.Single(Assignments(h.Submit("tx:j1")));
    }

    [Fact]
    public void A_paused_shard_still_accepts_submissions_and_reports_that_it_takes_no_transfers()
    {
        var h = new RouterHarness();
        h.Set("shards.a.paused", "true");

        Assert.Single(h.Submit("tx:j1").Entries);
        var report = Assert.Single(Sent<Contracts.ShardLoadReported>([h.TickOnce()]));
        Assert.False(report.AcceptingTransfers);
        Assert.Equal(1, report.Queued);
    }
}
