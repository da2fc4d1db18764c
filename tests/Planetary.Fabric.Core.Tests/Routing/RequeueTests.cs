using Planetary.Contracts;
using Planetary.Fabric.Journal;
using Planetary.Fabric.Reporting;
using Planetary.Fabric.Routing;
using static Planetary.Fabric.Tests.Routing.RouterHarness;

namespace Planetary.Fabric.Tests.Routing;

/// <summary>The owner puts failed jobs back in the queue: judged against the books, journaled, with a fresh allowance of attempts.</summary>
public sealed class RequeueTests
{
    [Fact]
    public void A_failed_job_requeued_runs_again_with_its_attempt_numbers_going_on_and_a_full_allowance()
    {
        var h = new RouterHarness();
        var failed = h.FailTwice("j1");

        var step = h.Requeue([failed], "j1");

        var requeued = Assert.Single(step.Entries.OfType<JobRequeued>());
        Assert.Equal(("j1", "tx", 2, "owner"), (requeued.JobId, requeued.Template, requeued.AttemptsUsed, requeued.Actor));
        Assert.Equal(RouterJobStatus.Running, h.State.Jobs["j1"].Status); // back in the queue and, A1 being free, on it at once
        Assert.Equal(1, h.State.Jobs["j1"].AttemptsCharged); // the running attempt 3 only
        Assert.False(h.State.Tombstones.ContainsKey("j1"));
        Assert.Equal(1, h.State.Counters.Requeued);

        Assert.Equal(3, Assert.Single(Assignments(step)).Assignment.Attempt);
        var third = h.Result("A1", "j1", 3, succeeded: false);
        Assert.Empty(third.Outcomes); // attempt 3 is the first charged: one more to go
        Assert.Equal(4, Assert.Single(Assignments(third)).Assignment.Attempt);
        var done = Assert.Single(h.Result("A1", "j1", 4, succeeded: true).Outcomes);
        Assert.Equal((JobOutcomeKind.Completed, 4), (done.Kind, done.Attempts));
    }

    [Fact]
    public void A_late_failure_report_of_an_attempt_from_before_the_requeue_changes_nothing()
    {
        var h = new RouterHarness();
        var failed = h.FailTwice("j1");
        h.Requeue([failed], "j1");
        h.TickOnce();

        var late = h.Result("A1", "j1", 2, succeeded: false);

        Assert.Empty(late.Outcomes);
        Assert.Empty(late.Entries);
        Assert.Equal((RouterJobStatus.Running, 3), (h.State.Jobs["j1"].Status, h.State.Jobs["j1"].Attempts));
    }

    [Fact]
    public void Only_a_job_the_books_say_failed_on_this_shard_and_that_is_not_held_again_is_requeued()
    {
        var h = new RouterHarness();
        var failed = h.FailTwice("j1");
        h.Submit("tx:j2");
        var completed = failed with { JobId = "j3", Kind = JobOutcomeKind.Completed };
        var elsewhere = failed with { JobId = "j4", ShardId = "b" };

        var step = h.Requeue([failed, completed, elsewhere, failed with { JobId = "j2" }], "j1", "j1", "j2", "j3", "j4", "j5");

        Assert.Equal("j1", Assert.Single(step.Entries.OfType<JobRequeued>()).JobId); // once, though named twice
        Assert.Empty(h.Requeue([failed], "j1").Entries); // held again now: a second requeue is a no-op
        Assert.Empty(h.Handle(new RequeueJobs("a", ["j1"], "owner")).Entries); // no books looked up: nothing to judge by
    }

    [Fact]
    public void A_requeue_replays_from_the_journal_and_shows_on_the_timeline()
    {
        var h = new RouterHarness();
        var failed = h.FailTwice("j1");
        var snapshot = RouterSnapshot.Capture(h.State);
        var position = h.Journal.Count;
        h.Requeue([failed], "j1");

        var events = new List<TimelineEvent>();
        JournalTimeline.Append("a", h.Journal.OfType<JobRequeued>().Single(), events);
        Assert.Equal((JobEventKind.Requeued, "requeued by owner", 2), (events[0].Kind, events[0].Detail, events[0].Attempt));
        Assert.Equal(JobStatus.Queued, JobStatuses.After(events[0].Kind));

        h.RestartFrom(snapshot, position); // the requeue, and attempt 3 assigned in the same step
        Assert.Equal(1, h.State.Jobs["j1"].AttemptsCharged);
        Assert.Equal((RouterJobStatus.Running, 3), (h.State.Jobs["j1"].Status, h.State.Jobs["j1"].Attempts));
    }
}
