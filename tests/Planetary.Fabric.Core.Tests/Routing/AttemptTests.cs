using Planetary.Contracts;
using Planetary.Fabric.Journal;
using Planetary.Fabric.Routing;
using static Planetary.Fabric.Tests.Routing.RouterHarness;

namespace Planetary.Fabric.Tests.Routing;

public sealed class AttemptTests
{
    [Fact]
    public void A_failed_attempt_is_retried_and_the_job_fails_with_its_reason_after_the_last_attempt()
    {
        var h = new RouterHarness();
        h.Register("A1");
        h.Submit("tx:j1");
        h.TickOnce();

        var first = h.Result("A1", "j1", 1, succeeded: false);
        Assert.Empty(first.Outcomes);
        Assert.Equal(2, Assert.Single(Assignments(first)).Assignment.Attempt); // retried in the same step

        var second = h.Result("A1", "j1", 2, succeeded: false);

        var outcome = Assert.Single(second.Outcomes);
        Assert.Equal(JobOutcomeKind.Failed, outcome.Kind);
        Assert.Equal(2, outcome.Attempts);
        Assert.Contains("boom", outcome.Reason);
        Assert.Contains("attempt 2 of 2", outcome.Reason);
        Assert.False(h.State.Jobs.ContainsKey("j1"));
        Assert.Equal(TombstoneKind.Failed, h.State.Tombstones["j1"].Kind);
    }

    [Fact]
    public void An_attempt_running_past_the_timeout_counts_as_failed()
    {
        var h = new RouterHarness();
        h.Register("A1");
        h.Submit("tx:j1"); // assigned at once, at tick 0
        for (var t = 1; t <= 20; t++)
        {
            h.Heartbeat("A1", ("j1", 1));
            Assert.Empty(h.TickOnce().Entries.OfType<AttemptFailed>());
        }

        h.Heartbeat("A1", ("j1", 1));
        var timedOut = h.TickOnce(); // tick 21: 21 - 0 > 20

        Assert.Equal(AttemptFailure.TimedOut, Assert.Single(timedOut.Entries.OfType<AttemptFailed>()).Failure);
    }

    [Fact]
    public void A_duplicated_result_completes_the_job_once_and_is_acknowledged_both_times()
    {
        var h = new RouterHarness();
        h.Register("A1");
        h.Submit("tx:j1");
        h.TickOnce();

        var first = h.Result("A1", "j1", 1, succeeded: true);
        var again = h.Result("A1", "j1", 1, succeeded: true);

        Assert.Equal(JobOutcomeKind.Completed, Assert.Single(first.Outcomes).Kind);
        Assert.Empty(again.Outcomes);
        Assert.Empty(again.Entries);
        Assert.Single(Sent<AcknowledgeJobResults>([again]));
        Assert.Equal(1, h.State.Counters.Completed);
    }

    [Fact]
    public void A_late_success_of_an_earlier_attempt_completes_a_job_waiting_in_the_queue()
    {
        var h = new RouterHarness();
        h.Register("A1");
        h.Submit("tx:j1");
        h.TickOnce();
        h.Wait(6);
        h.Set("shards.a.paused", "true"); // so that the requeued job waits in the queue
        h.Heartbeat("A1"); // A1 does not report it: requeued, attempt 1 presumed lost
        Assert.Equal(RouterJobStatus.Queued, h.State.Jobs["j1"].Status);

        var late = h.Result("A1", "j1", 1, succeeded: true);

        Assert.Equal(JobOutcomeKind.Completed, Assert.Single(late.Outcomes).Kind);
        Assert.Equal(0, h.State.Queue.Count);
    }

    [Fact]
    public void A_late_failure_of_an_old_attempt_changes_nothing()
    {
        var h = new RouterHarness();
        h.Register("A1");
        h.Submit("tx:j1");
        h.TickOnce();
        h.Result("A1", "j1", 1, succeeded: false);
        h.TickOnce(); // attempt 2 running

        var stale = h.Result("A1", "j1", 1, succeeded: false);

        Assert.Empty(stale.Entries);
        Assert.Equal(RouterJobStatus.Running, h.State.Jobs["j1"].Status);
        Assert.Equal(2, h.State.Jobs["j1"].Attempts);
    }

    [Fact]
    public void A_result_from_a_node_that_is_not_running_the_attempt_is_ignored()
    {
        var h = new RouterHarness();
        h.Register("A1");
        h.Register("A2");
        h.Submit("txy:j1"); // only A1 can run it
        h.TickOnce();

        var wrong = h.Result("A2", "j1", 1, succeeded: false);

        Assert.Empty(wrong.Entries);
        Assert.Equal(RouterJobStatus.Running, h.State.Jobs["j1"].Status);
    }
}
