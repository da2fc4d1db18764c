using Planetary.Contracts;
using Planetary.Fabric.Journal;
using Planetary.Fabric.Routing;
using static Planetary.Fabric.Tests.Routing.RouterHarness;

namespace Planetary.Fabric.Tests.Routing;

public sealed class TransferTests
{
    private static TransferJobs Incoming(string transferId, int hops, params string[] templatesAndIds) =>
        new(transferId, "b", "a", TransferReason.Spillover,
            templatesAndIds.Select(t => t.Split(':')).Select(p => new TransferredJob(p[1], p[0], "b", hops, 0, 0)).ToArray());

    [Fact]
    public void A_shard_takes_transferred_work_only_if_a_node_that_takes_work_can_run_it()
    {
        var h = new RouterHarness();
        h.Register("A2"); // [x] only

        var step = h.Handle(Incoming("t1", 1, "tx:j1", "txy:j2"));

        var settle = Assert.Single(Sent<SettleTransfer>([step]));
        Assert.Equal(["j1"], settle.Accepted);
        Assert.Equal("j2", Assert.Single(settle.Rejected).JobId);
        Assert.Contains("no node of a that takes work", settle.Rejected[0].Reason);
    }

    [Fact]
    public void A_redelivered_transfer_gets_the_same_answer_even_if_the_shard_has_changed_since()
    {
        var h = new RouterHarness();
        h.Register("A2");
        h.Set("shards.a.paused", "true");
        var first = h.Handle(Incoming("t1", 1, "tx:j1"));
        Assert.Empty(Assert.Single(Sent<SettleTransfer>([first])).Accepted);

        h.Set("shards.a.paused", "false");
        var again = h.Handle(Incoming("t1", 1, "tx:j1"));

        var settle = Assert.Single(Sent<SettleTransfer>([again]));
        Assert.Empty(settle.Accepted); // answering "accepted" now could leave j1 on both shards
        Assert.False(h.State.Jobs.ContainsKey("j1"));
    }

    [Fact]
    public void A_redelivered_transfer_is_journaled_once()
    {
        var h = new RouterHarness();
        h.Register("A2");

        h.Handle(Incoming("t1", 1, "tx:j1"));
        var again = h.Handle(Incoming("t1", 1, "tx:j1"));

        Assert.Empty(again.Entries);
        Assert.Equal(["j1"], Assert.Single(Sent<SettleTransfer>([again])).Accepted);
    }

    [Fact]
    public void A_job_that_moved_on_and_comes_back_with_more_hops_is_taken_again()
    {
        var h = new RouterHarness();
        h.Submit(Enumerable.Range(1, 20).Select(i => $"tx:j{i:D2}").ToArray());
        h.AllyLoad("b", 0, [["x", "z"]]);
        var sent = Assert.Single(h.TickOnce().Entries.OfType<JobsSentToShard>());
        h.Handle(new SettleTransfer(sent.TransferId, "a", "b", sent.JobIds, []));
        Assert.Equal(TombstoneKind.MovedToAlly, h.State.Tombstones["j20"].Kind);
        h.Register("A2");

        var stale = h.Handle(Incoming("old", 0, "tx:j20")); // not more hops than it left with: a duplicate
        Assert.Empty(stale.Entries);

        var back = h.Handle(Incoming("t9", 2, "tx:j20"));
        Assert.Single(back.Entries.OfType<JobAccepted>());
        Assert.True(h.State.Jobs.ContainsKey("j20"));
    }

    [Fact]
    public void Jobs_refused_by_the_ally_return_to_their_place_in_the_queue()
    {
        var h = new RouterHarness();
        h.Submit(Enumerable.Range(1, 20).Select(i => $"tx:j{i:D2}").ToArray());
        h.AllyLoad("b", 0, [["x", "z"]]);
        var sent = Assert.Single(h.TickOnce().Entries.OfType<JobsSentToShard>());
        Assert.Equal(16, h.State.Queue.Count);

        h.Handle(new SettleTransfer(sent.TransferId, "a", "b", ["j20"], [new JobRejection("j19", "full"), new JobRejection("j18", "full"), new JobRejection("j17", "full")]));

        Assert.Equal(19, h.State.Queue.Count);
        Assert.False(h.State.Jobs.ContainsKey("j20"));
        var newest = h.State.Queue.NewestFirst(_ => true).First();
        Assert.Equal("j19", newest.Id);
    }

    [Fact]
    public void An_unsettled_transfer_is_sent_again_after_the_transfer_timeout_and_never_reclaimed()
    {
        var h = new RouterHarness();
        h.Submit(Enumerable.Range(1, 20).Select(i => $"tx:j{i:D2}").ToArray());
        h.AllyLoad("b", 0, [["x", "z"]]);
        var sent = Assert.Single(h.TickOnce().Entries.OfType<JobsSentToShard>());

        var steps = h.TickTo(h.Now + 10);

        var resent = Assert.Single(Sent<TransferJobs>(steps), t => t.TransferId == sent.TransferId);
        Assert.Equal(sent.JobIds, resent.Jobs.Select(j => j.JobId));
        Assert.All(sent.JobIds, id => Assert.Equal(RouterJobStatus.InTransfer, h.State.Jobs[id].Status));
    }

    [Fact]
    public void A_job_no_node_of_the_shard_can_run_is_forwarded_to_an_ally_that_can()
    {
        var h = new RouterHarness();
        h.Submit("tz:j1");
        h.AllyLoad("b", 50, [["x", "z"]]);

        var sent = Assert.Single(h.TickOnce().Entries.OfType<JobsSentToShard>());

        Assert.Equal(TransferReason.Forward, sent.Reason);
        Assert.Equal(["j1"], sent.JobIds);
    }

    [Fact]
    public void A_job_no_node_anywhere_can_run_fails_as_unroutable_instead_of_looping()
    {
        var h = new RouterHarness();
        h.Submit("tz:j1");
        h.AllyLoad("b", 0, [["x"]], known: [["x"]]);

        var step = h.TickOnce();

        var outcome = Assert.Single(step.Outcomes);
        Assert.Equal(JobOutcomeKind.Failed, outcome.Kind);
        Assert.StartsWith("unroutable", outcome.Reason);
        Assert.Empty(step.Entries.OfType<JobsSentToShard>());
    }

    [Fact]
    public void A_job_waits_while_its_only_capable_ally_node_is_offline()
    {
        var h = new RouterHarness();
        h.Submit("tz:j1");
        h.AllyLoad("b", 0, online: [], known: [["x", "z"]]);

        var step = h.TickOnce();

        Assert.Empty(step.Outcomes);
        Assert.Equal(RouterJobStatus.Queued, h.State.Jobs["j1"].Status);
    }
}
