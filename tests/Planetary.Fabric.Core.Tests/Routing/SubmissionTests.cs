using Planetary.Contracts;
using Planetary.Fabric.Journal;
using static Planetary.Fabric.Tests.Routing.RouterHarness;

namespace Planetary.Fabric.Tests.Routing;

public sealed class SubmissionTests
{
    [Fact]
    public void A_redelivered_submission_is_accepted_again_but_journaled_once()
    {
        var h = new RouterHarness();
        var batch = new SubmitJobs("b1", "a", [new JobSubmission("j1", "tx", 7)]);

        var first = h.Handle(batch);
        var again = h.Handle(batch);

        Assert.Single(first.Entries.OfType<JobAccepted>());
        Assert.Empty(again.Entries);
        Assert.Equal(["j1"], Assert.Single(Sent<JobsAccepted>([again])).Accepted);
    }

    [Fact]
    public void A_submission_of_a_job_that_already_finished_here_does_not_run_it_again()
    {
        var h = new RouterHarness();
        h.Register("A1");
        h.Submit("tx:j1");
        h.TickOnce();
        h.Result("A1", "j1", 1, succeeded: true);

        var again = h.Submit("tx:j1");

        Assert.Empty(again.Entries);
        Assert.False(h.State.Jobs.ContainsKey("j1"));
    }

    [Fact]
    public void An_unknown_template_is_refused_with_a_reason()
    {
        var h = new RouterHarness();

        var step = h.Submit("nope:j1");

        var answer = Assert.Single(Sent<JobsAccepted>([step]));
        Assert.Empty(answer.Accepted);
        Assert.Contains("unknown job template 'nope'", Assert.Single(answer.Rejected).Reason);
        Assert.Empty(step.Entries);
    }

    [Fact]
    public void A_full_queue_refuses_new_work()
    {
        var h = new RouterHarness();
        h.Set("shards.a.maxQueueDepth", "2");

        var step = h.Submit("tx:j1", "tx:j2", "tx:j3");

        var answer = Assert.Single(Sent<JobsAccepted>([step]));
        Assert.Equal(["j1", "j2"], answer.Accepted);
        Assert.Equal("j3", Assert.Single(answer.Rejected).JobId);
        Assert.Contains("queue is full", answer.Rejected[0].Reason);
    }
}
