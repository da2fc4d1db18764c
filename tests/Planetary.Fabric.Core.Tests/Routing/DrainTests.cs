using Planetary.Contracts;
using Planetary.Fabric.Journal;
using Planetary.Fabric.Routing;
using static Planetary.Fabric.Tests.Routing.RouterHarness;

namespace Planetary.Fabric.Tests.Routing;

/// <summary>Draining a node: no new work, running work finishes or is withdrawn at the deadline, then it is drained until resumed.</summary>
public sealed class DrainTests
{
    [Fact]
    public void A_draining_node_gets_no_new_work_and_is_drained_once_its_running_jobs_finish()
    {
        var h = new RouterHarness();
        h.Register("A2");
        var (node, first) = Assert.Single(Assignments(h.Submit("tx:j1")));
        Assert.Equal("A2", node);

        var drain = h.Set("nodes.A2.draining", "true");
        Assert.Equal(NodeDrainState.Draining, h.State.Nodes["A2"].Drain);
        Assert.Single(drain.Entries.OfType<NodeDrainStarted>());

        h.Submit("tx:j2");
        Assert.Empty(Assignments(h.TickTo(h.Now + 3))); // A2 drains: j2 waits
        h.Result("A2", first.JobId, 1, succeeded: true);

        var drained = h.TickOnce();
        Assert.Single(drained.Entries.OfType<NodeDrained>());
        Assert.Equal(NodeDrainState.Drained, h.State.Nodes["A2"].Drain);
        Assert.True(h.State.Nodes["A2"].Online); // alive, just not taking work
        h.Heartbeat("A2");
        Assert.Empty(Assignments(h.TickOnce()));

        Assert.Equal("j2", Assert.Single(Assignments(h.Set("nodes.A2.draining", "false"))).Assignment.JobId); // resumed: at once
    }

    [Fact]
    public void At_the_deadline_what_still_runs_is_withdrawn_stopped_on_the_node_requeued_and_not_charged()
    {
        var h = new RouterHarness();
        h.Register("A2");
        h.Submit("tx:j1");
        h.TickOnce();

        h.Set("routers.drainDeadlineTicks", "2");
        h.Set("nodes.A2.draining", "true");
        Assert.Empty(h.TickOnce().Entries.OfType<AttemptWithdrawn>());
        var deadline = h.TickOnce();

        var withdrawn = Assert.Single(deadline.Entries.OfType<AttemptWithdrawn>());
        Assert.Equal(("j1", 1, "A2"), (withdrawn.JobId, withdrawn.Attempt, withdrawn.NodeId));
        var stop = Assert.Single(Sent<StopAttempts>([deadline]));
        Assert.Equal(new JobAttemptRef("j1", 1), Assert.Single(stop.Attempts));
        Assert.Single(deadline.Entries.OfType<NodeDrained>());
        var job = h.State.Jobs["j1"];
        Assert.Equal(RouterJobStatus.Queued, job.Status);
        Assert.Equal(0, job.AttemptsCharged);
        Assert.Equal(1, h.State.Counters.AttemptsWithdrawn);
        h.RestartFrom(RouterSnapshot.Capture(h.State), h.Journal.Count);
        Assert.Equal(0, h.State.Jobs["j1"].AttemptsCharged); // the withdrawal survives a snapshot

        // maxAttempts is 2: with the withdrawn attempt not charged, j1 still has two attempts on A1.
        Assert.Equal(2, Assert.Single(Assignments(h.Register("A1"))).Assignment.Attempt); // attempt numbers keep rising
        var second = h.Result("A1", "j1", 2, succeeded: false);
        Assert.Empty(Entries<JobFailed>([second])); // one charged failure: it goes round again
        Assert.Equal(3, Assert.Single(Assignments(second)).Assignment.Attempt);
        var failed = h.Result("A1", "j1", 3, succeeded: false);
        Assert.Contains("attempt 2 of 2", Assert.Single(failed.Entries.OfType<JobFailed>()).Reason);
        Assert.False(h.State.Jobs.ContainsKey("j1"));
    }

    [Fact]
    public void A_deadline_of_zero_drains_at_once_and_an_idle_node_is_drained_at_once()
    {
        var h = new RouterHarness();
        h.Register("A2");
        h.Register("A1");
        var (busy, _) = Assert.Single(Assignments(h.Submit("tx:j1")));
        var idle = busy == "A1" ? "A2" : "A1";

        h.Set("routers.drainDeadlineTicks", "1200");
        var quiet = h.Set($"nodes.{idle}.draining", "true");
        Assert.Single(quiet.Entries.OfType<NodeDrained>());

        h.Set("routers.drainDeadlineTicks", "0");
        var now = h.Set($"nodes.{busy}.draining", "true");
        Assert.Single(now.Entries.OfType<AttemptWithdrawn>());
        Assert.Single(now.Entries.OfType<NodeDrained>());
        Assert.Empty(Assignments(h.TickTo(h.Now + 3))); // both drained: j1 waits in the queue
        Assert.Equal(RouterJobStatus.Queued, h.State.Jobs["j1"].Status);
    }

    [Fact]
    public void The_drain_follows_the_parameters_so_a_repeated_publication_changes_nothing_and_a_later_deadline_change_keeps_the_started_one()
    {
        var h = new RouterHarness();
        h.Register("A2");
        h.Submit("tx:j1");
        h.TickOnce();
        h.Set("routers.drainDeadlineTicks", "30");
        var started = Assert.Single(h.Set("nodes.A2.draining", "true").Entries.OfType<NodeDrainStarted>());

        var again = h.Set("routers.drainDeadlineTicks", "1"); // a new version: the drain already started keeps its deadline
        Assert.Empty(again.Entries.OfType<NodeDrainStarted>());
        Assert.Empty(again.Entries.OfType<AttemptWithdrawn>());
        Assert.Equal(started.DeadlineTick, h.State.Nodes["A2"].DrainDeadlineTick);
        Assert.Equal(NodeDrainState.None, h.State.Nodes["A1"].Drain);
    }

    [Fact]
    public void A_drain_survives_a_restart_from_snapshot_and_journal_and_a_node_re_registering()
    {
        var h = new RouterHarness();
        h.Register("A2");
        h.Submit("tx:j1");
        h.TickOnce();
        var snapshot = RouterSnapshot.Capture(h.State);
        var position = h.Journal.Count;
        h.Set("routers.drainDeadlineTicks", "100");
        h.Set("nodes.A2.draining", "true");

        h.RestartFrom(RouterSnapshot.Capture(h.State), h.Journal.Count);
        Assert.Equal(NodeDrainState.Draining, h.State.Nodes["A2"].Drain);
        Assert.Equal(h.Now + 100, h.State.Nodes["A2"].DrainDeadlineTick);

        h.RestartFrom(snapshot, position); // the drain replayed from the journal
        Assert.Equal(NodeDrainState.Draining, h.State.Nodes["A2"].Drain);

        h.Register("A2"); // an agent restart does not end the drain
        h.Submit("tx:j2");
        Assert.DoesNotContain(Assignments(h.TickTo(h.Now + 3)), a => a.Assignment.JobId == "j2");
    }

    [Fact]
    public void A_drained_node_does_not_count_as_capacity_in_load_reports_or_for_incoming_transfers()
    {
        var h = new RouterHarness();
        h.Register("A1");
        h.Register("A2");
        h.Set("nodes.A1.draining", "true");
        h.Set("nodes.A2.draining", "true");

        var load = h.Router.LoadReport(h.Now);
        Assert.Equal(0, load.FreeSlots);
        Assert.Empty(load.OnlineNodeCapabilities);

        var step = h.Handle(new TransferJobs("t1", "b", "a", TransferReason.Spillover, [new TransferredJob("k1", "tx", "b", 1, 0, 0)]));
        var settle = Assert.Single(Sent<SettleTransfer>([step]));
        Assert.Equal(RefusalKind.NoNodeCanRun, Assert.Single(settle.Rejected).Kind);
    }

    [Fact]
    public void The_status_report_shows_each_nodes_drain()
    {
        var h = new RouterHarness();
        h.Register("A2");
        h.Submit("tx:j1");
        h.TickOnce();
        h.Set("routers.drainDeadlineTicks", "20");
        h.Set("nodes.A2.draining", "true");

        var nodes = h.Router.StatusReport(h.Now, "i", 1).Nodes.ToDictionary(n => n.NodeId);
        Assert.Equal(NodeDrainState.Draining, nodes["A2"].Drain);
        Assert.Equal(h.Now + 20, nodes["A2"].DrainDeadlineTick);
        Assert.Equal(NodeDrainState.None, nodes["A1"].Drain);
    }
}
