using Planetary.Contracts;
using Planetary.Fabric.Journal;
using Planetary.Fabric.Routing;
using static Planetary.Fabric.Tests.Routing.RouterHarness;

namespace Planetary.Fabric.Tests.Routing;

/// <summary>A cancellation reaches the job wherever it is: on a node, in the queue, moving to an ally, or gone to one.</summary>
public sealed class CancelTests
{
    [Fact]
    public void Cancelling_a_running_job_tells_its_node_to_stop_the_attempt_and_ends_it_cancelled()
    {
        var h = new RouterHarness();
        h.Register("A2");
        var assigned = Assert.Single(Assignments(h.Submit("tx:j1")));

        var step = h.Handle(new CancelJob("a", "j1", "owner"));

        Assert.Single(step.Entries.OfType<JobCancelled>());
        var stop = Assert.Single(Sent<StopAttempts>([step]));
        Assert.Equal(assigned.NodeId, stop.NodeId);
        Assert.Equal(new JobAttemptRef("j1", 1), Assert.Single(stop.Attempts));
        Assert.Equal(JobOutcomeKind.Cancelled, Assert.Single(step.Outcomes).Kind);
    }

    [Fact]
    public void A_job_cancelled_while_moving_is_cancelled_at_the_ally_that_takes_it()
    {
        var (h, sent) = Moving();

        var deferred = h.Handle(new CancelJob("a", "j20", "owner"));
        Assert.Equal("owner", Assert.Single(deferred.Entries.OfType<CancelDeferred>()).Actor);
        Assert.Empty(deferred.Outcomes);
        Assert.Empty(h.Handle(new CancelJob("a", "j20", "owner")).Entries); // asked twice: deferred once

        var settled = h.Handle(new SettleTransfer(sent.TransferId, "a", "b", sent.JobIds, []));

        var forwarded = Assert.Single(Sent<CancelJob>([settled]));
        Assert.Equal(new CancelJob("b", "j20", "owner"), forwarded);
        Assert.Empty(settled.Outcomes); // the ally ends it
    }

    [Fact]
    public void A_job_cancelled_while_moving_that_the_ally_refuses_is_cancelled_here()
    {
        var (h, sent) = Moving();
        h.Handle(new CancelJob("a", "j20", "owner"));

        var refused = sent.JobIds.Select(id => new JobRejection(id, "queue is full", RefusalKind.QueueFull)).ToArray();
        var settled = h.Handle(new SettleTransfer(sent.TransferId, "a", "b", [], refused));

        Assert.Equal("j20", Assert.Single(settled.Entries.OfType<JobCancelled>()).JobId);
        Assert.Equal(JobOutcomeKind.Cancelled, Assert.Single(settled.Outcomes).Kind);
        Assert.Empty(Sent<CancelJob>([settled]));
        Assert.False(h.State.Jobs.ContainsKey("j20"));
        Assert.True(h.State.Jobs.ContainsKey("j19")); // the others came back to the queue
    }

    [Fact]
    public void A_cancellation_for_a_job_that_went_to_an_ally_follows_it_there()
    {
        var (h, sent) = Moving();
        h.Handle(new SettleTransfer(sent.TransferId, "a", "b", sent.JobIds, []));

        var step = h.Handle(new CancelJob("a", "j20", "owner"));

        Assert.Empty(step.Entries);
        Assert.Equal(new CancelJob("b", "j20", "owner"), Assert.Single(Sent<CancelJob>([step])));
    }

    [Fact]
    public void Where_a_moved_job_went_survives_a_snapshot()
    {
        var (h, sent) = Moving();
        h.Handle(new CancelJob("a", "j19", "owner"));
        var snapshot = RouterSnapshot.Capture(h.State);
        h.Handle(new SettleTransfer(sent.TransferId, "a", "b", sent.JobIds.Where(id => id != "j19").ToArray(),
            [new JobRejection("j19", "full", RefusalKind.QueueFull)]));
        var after = RouterSnapshot.Capture(h.State);

        var restored = after.Restore(h.Genesis);
        Assert.Equal("b", restored.Tombstones["j20"].MovedTo);
        Assert.Equal("owner", snapshot.Restore(h.Genesis).Jobs["j19"].CancelledWhileMovingBy);
    }

    /// <summary>Twenty queued jobs on shard a, no node to run them, and b able to: they spill to b in one transfer.</summary>
    private static (RouterHarness Harness, JobsSentToShard Sent) Moving()
    {
        var h = new RouterHarness();
        h.Submit(Enumerable.Range(1, 20).Select(i => $"tx:j{i:D2}").ToArray());
        h.AllyLoad("b", 0, [["x", "z"]]);
        var sent = Assert.Single(h.TickOnce().Entries.OfType<JobsSentToShard>());
        Assert.Contains("j20", sent.JobIds);
        Assert.Contains("j19", sent.JobIds);
        return (h, sent);
    }
}
