using Planetary.Fabric.Routing;
using static Planetary.Fabric.Tests.Routing.RouterHarness;

namespace Planetary.Fabric.Tests.Routing;

public sealed class AssignmentTests
{
    [Fact]
    public void A_job_goes_only_to_a_node_that_has_all_its_capabilities()
    {
        var h = new RouterHarness();
        h.Register("A2");
        h.Register("A1");

        var assigned = Assignments(h.Submit("txy:j1")).ToList(); // at once: dispatch does not wait for a tick

        Assert.Equal([("A1", "j1")], assigned.Select(a => (a.NodeId, a.Assignment.JobId)));
        Assert.Equal(1, assigned[0].Assignment.Attempt);
    }

    [Fact]
    public void The_least_loaded_node_gets_the_next_job()
    {
        var h = new RouterHarness();
        h.Register("A1");
        h.Register("A2");

        var nodes = Assignments(h.Submit("tx:j1", "tx:j2", "tx:j3")).OrderBy(a => a.Assignment.JobId).Select(a => a.NodeId).ToList();

        // j1: both empty, A1 has more free slots; j2: A2 is at 0/1, A1 at 1/2; j3: A1 at 1/2 beats A2 at 1/1.
        Assert.Equal(["A1", "A2", "A1"], nodes);
    }

    [Fact]
    public void No_node_gets_more_jobs_than_its_slots()
    {
        var h = new RouterHarness();
        h.Register("A1");
        h.Register("A2");
        var assigned = Assignments(h.Submit("tx:j1", "tx:j2", "tx:j3", "tx:j4", "tx:j5")).ToList();

        Assert.Equal(3, assigned.Count);
        Assert.Empty(Assignments(h.TickOnce())); // no slot freed: a tick assigns nothing more
        Assert.Equal(2, h.State.Queue.Count);
        Assert.All(h.State.Nodes.Values, n => Assert.True(n.Running.Count <= n.Slots));
    }

    [Fact]
    public void A_node_that_never_registered_gets_nothing_and_its_jobs_wait()
    {
        var h = new RouterHarness();
        h.Register("A2");
        h.Submit("txy:j1");

        var steps = h.TickTo(3);

        Assert.Empty(Assignments(steps));
        Assert.Equal(RouterJobStatus.Queued, h.State.Jobs["j1"].Status);
        Assert.Empty(Entries<Planetary.Fabric.Journal.JobsSentToShard>(steps)); // A1 is known (declared), so the job is not forwarded
    }

    [Fact]
    public void The_oldest_job_runs_first_and_a_retry_goes_before_new_work()
    {
        var h = new RouterHarness();
        h.Register("A2");
        Assert.Equal(["old"], Assignments(h.Submit("tx:old")).Select(a => a.Assignment.JobId));
        h.Submit("tx:new1", "tx:new2");

        var next = Assignments(h.Result("A2", "old", 1, succeeded: false)).Select(a => a.Assignment).ToList(); // the freed slot, in the same step

        Assert.Equal("old", Assert.Single(next).JobId);
        Assert.Equal(2, next[0].Attempt);
    }

    [Fact]
    public void Steps_of_one_batch_send_each_node_one_assignment_message()
    {
        var h = new RouterHarness();
        h.Register("A1");
        h.Register("A2");
        var journaled = h.Journal.Count;
        var batch = new RouterStep();

        batch.Append(h.Submit("tx:j1"));
        batch.Append(h.Handle(new Planetary.Contracts.CancelJob("a", "j1", "owner")));
        batch.Append(h.Submit("tx:j2", "tx:j3"));
        batch.Append(h.Submit("tx:j4"));

        var messages = batch.Effects.OfType<Planetary.Fabric.Effects.Send>().Select(s => s.Message).OfType<Planetary.Contracts.AssignJobs>().ToList();
        Assert.Equal(["A1", "A2"], messages.Select(m => m.NodeId));
        Assert.Equal(["j1", "j2", "j4"], messages[0].Assignments.Select(a => a.JobId)); // in the order the steps made them
        Assert.Equal(["j3"], messages[1].Assignments.Select(a => a.JobId));
        var stop = batch.Effects.FindIndex(e => e is Planetary.Fabric.Effects.Send { Message: Planetary.Contracts.StopAttempts });
        Assert.True(stop > batch.Effects.FindIndex(e => e is Planetary.Fabric.Effects.Send { Message: Planetary.Contracts.AssignJobs { NodeId: "A1" } }));
        Assert.Equal(h.Journal.Skip(journaled), batch.Entries);
    }
}
