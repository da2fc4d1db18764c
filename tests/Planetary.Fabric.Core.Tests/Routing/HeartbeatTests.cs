using Planetary.Fabric.Journal;
using Planetary.Fabric.Routing;
using static Planetary.Fabric.Tests.Routing.RouterHarness;

namespace Planetary.Fabric.Tests.Routing;

public sealed class HeartbeatTests
{
    [Fact]
    public void A_node_silent_past_the_grace_period_is_offline_and_its_jobs_are_requeued()
    {
        var h = new RouterHarness();
        h.Register("A1");
        h.Submit("tx:j1");
        h.TickOnce(); // assigned at tick 1, last heard at tick 0

        var quiet = h.TickTo(5);
        Assert.Empty(Entries<NodeMarkedOffline>(quiet));

        var expired = h.TickOnce(); // tick 6: 6 - 0 > grace 5

        Assert.Equal("A1", Assert.Single(expired.Entries.OfType<NodeMarkedOffline>()).NodeId);
        var failed = Assert.Single(expired.Entries.OfType<AttemptFailed>());
        Assert.Equal(AttemptFailure.Lost, failed.Failure);
        Assert.Equal(RouterJobStatus.Queued, h.State.Jobs["j1"].Status);
        Assert.False(h.State.Nodes["A1"].Online);
    }

    [Fact]
    public void A_heartbeat_keeps_a_node_online()
    {
        var h = new RouterHarness();
        h.Register("A1");
        for (var t = 1; t <= 20; t++)
        {
            h.TickOnce();
            h.Heartbeat("A1");
        }

        Assert.True(h.State.Nodes["A1"].Online);
    }

    [Fact]
    public void A_job_the_node_does_not_report_is_requeued_once_its_assignment_is_older_than_the_grace_period()
    {
        var h = new RouterHarness();
        h.Register("A1");
        h.Submit("tx:j1");
        h.TickOnce(); // assigned at tick 1

        var early = h.Heartbeat("A1"); // the assignment may still be on its way
        Assert.Empty(early.Entries.OfType<AttemptFailed>());

        h.Wait(6);
        var late = h.Heartbeat("A1");

        var failed = Assert.Single(late.Entries.OfType<AttemptFailed>());
        Assert.Equal(AttemptFailure.Lost, failed.Failure);
        Assert.Contains("does not report", failed.Reason);
    }

    [Fact]
    public void A_job_the_node_reports_stays_running()
    {
        var h = new RouterHarness();
        h.Register("A1");
        h.Submit("tx:j1");
        h.TickOnce();
        h.Wait(10);

        var step = h.Heartbeat("A1", ("j1", 1));

        Assert.Empty(step.Entries.OfType<AttemptFailed>());
        Assert.Equal(RouterJobStatus.Running, h.State.Jobs["j1"].Status);
    }

    [Fact]
    public void A_restarted_node_that_registers_empty_gets_its_old_jobs_requeued_and_assigned_again()
    {
        var h = new RouterHarness();
        h.Register("A1");
        h.Submit("tx:j1");
        h.TickOnce();
        h.Wait(6);

        var step = h.Register("A1");

        Assert.Single(step.Entries.OfType<AttemptFailed>());
        Assert.Equal(("A1", 2), Assignments(step).Select(a => (a.NodeId, a.Assignment.Attempt)).Single()); // its slots are free again
        Assert.Equal(RouterJobStatus.Running, h.State.Jobs["j1"].Status);
    }

    [Fact]
    public void After_recovery_nodes_get_a_fresh_grace_period()
    {
        var h = new RouterHarness();
        h.Register("A1");
        h.Submit("tx:j1");
        h.TickOnce();
        h.Wait(30); // the router was down for a long time

        h.Router.Recover(h.Now, "snap", 0);
        var steps = h.TickTo(h.Now + 5);

        Assert.Empty(Entries<NodeMarkedOffline>(steps));
        Assert.Empty(Entries<AttemptFailed>(steps));
        Assert.Empty(h.Heartbeat("A1").Entries.OfType<AttemptFailed>()); // assignment age restarts at recovery

        var expired = h.TickTo(h.Now + 6);
        Assert.Single(Entries<AttemptFailed>(expired)); // ...but a node that stays silent is still found out
    }
}
