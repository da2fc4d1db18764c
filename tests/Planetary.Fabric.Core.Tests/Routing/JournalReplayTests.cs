using Planetary.Contracts;
using Planetary.Fabric.Journal;
using Planetary.Fabric.Routing;

namespace Planetary.Fabric.Tests.Routing;

public sealed class JournalReplayTests
{
    /// <summary>A busy stretch: submissions, assignments, results, failures, node loss, spillover, parameters.</summary>
    private static void Drive(RouterHarness h, int from, int to)
    {
        for (var t = from; t < to; t++)
        {
            h.Submit($"tx:j{t}a", $"txy:j{t}b", $"tz:j{t}c");
            if (t % 7 == 0)
            {
                h.AllyLoad("b", t % 3, [["x", "z"]]);
            }

            if (t % 11 == 0)
            {
                h.Set("routers.spilloverBatch", (2 + t % 5).ToString(System.Globalization.CultureInfo.InvariantCulture));
            }

            var step = h.TickOnce();
            foreach (var (node, assignment) in RouterHarness.Assignments(step))
            {
                if (node != "A2" || t < 15 || t > 25)
                {
                    h.Result(node, assignment.JobId, assignment.Attempt, succeeded: (t + assignment.JobId.Length) % 5 != 0);
                }
            }

            h.Heartbeat("A1");
            if (t < 15 || t > 25)
            {
                h.Heartbeat("A2"); // A2 goes silent for a while and its work is lost
            }
        }
    }

    /// <summary>Runs until every job has finished or moved: nodes answer, the ally takes every transfer.</summary>
    private static void Drain(RouterHarness h)
    {
        for (var guard = 0; h.State.Jobs.Count > 0; guard++)
        {
            Assert.True(guard < 500, "the router did not drain");
            h.Heartbeat("A1");
            h.Heartbeat("A2");
            h.AllyLoad("b", 0, [["x", "z"]]);
            var step = h.TickOnce();
            foreach (var (node, assignment) in RouterHarness.Assignments(step))
            {
                h.Result(node, assignment.JobId, assignment.Attempt, succeeded: true);
            }

            foreach (var transfer in RouterHarness.Sent<TransferJobs>([step]))
            {
                h.Handle(new SettleTransfer(transfer.TransferId, "a", "b", transfer.Jobs.Select(j => j.JobId).ToArray(), []));
            }
        }
    }

    [Fact]
    public void Replaying_the_journal_tail_over_a_snapshot_rebuilds_exactly_the_same_state()
    {
        var h = new RouterHarness();
        h.Register("A1");
        h.Register("A2");
        Drive(h, 1, 20);
        var snapshot = RouterSnapshot.Capture(h.State);
        var position = h.Journal.Count;
        Drive(h, 20, 45);
        var live = FabricJson.SerializeSnapshot(RouterSnapshot.Capture(h.State));

        h.RestartFrom(snapshot, position);

        Assert.True(h.Journal.Count - position > 50, "the tail should be substantial");
        Assert.Equal(System.Text.Encoding.UTF8.GetString(live), System.Text.Encoding.UTF8.GetString(FabricJson.SerializeSnapshot(RouterSnapshot.Capture(h.State))));
    }

    [Fact]
    public void Folding_the_whole_journal_from_genesis_gives_the_live_state()
    {
        var h = new RouterHarness();
        h.Register("A1");
        h.Register("A2");
        Drive(h, 1, 40);

        var folded = new RouterState("a", RouterHarness.Manifest);
        foreach (var entry in h.Journal)
        {
            folded.Apply(FabricJson.DeserializeEntry(FabricJson.SerializeEntry(entry)));
        }

        Assert.Equal(
            System.Text.Encoding.UTF8.GetString(FabricJson.SerializeSnapshot(RouterSnapshot.Capture(h.State))),
            System.Text.Encoding.UTF8.GetString(FabricJson.SerializeSnapshot(RouterSnapshot.Capture(folded))));
    }

    [Fact]
    public void A_restored_router_carries_on_deciding_exactly_as_the_original_would_have()
    {
        var original = new RouterHarness();
        original.Register("A1");
        original.Register("A2");
        Drive(original, 1, 20);
        var snapshot = RouterSnapshot.Capture(original.State);

        var twin = new RouterHarness();
        twin.RestartFrom(snapshot, 0);
        typeof(RouterHarness).GetProperty(nameof(RouterHarness.Now))!.SetValue(twin, original.Now);

        // A restart is restore + recovery: observations (ally loads, heartbeat times) restart from fresh reports.
        original.Router.Recover(original.Now, "same", 0);
        twin.Router.Recover(twin.Now, "same", 0);
        twin.Journal.Clear();
        original.Journal.Clear();
        Drive(original, 20, 30);
        Drive(twin, 20, 30);

        Assert.Equal(
            original.Journal.Select(FabricJson.SerializeEntry).Where(e => !e.Contains("\"sub-", StringComparison.Ordinal)),
            twin.Journal.Select(FabricJson.SerializeEntry).Where(e => !e.Contains("\"sub-", StringComparison.Ordinal)));
    }

    [Fact]
    public void An_entry_that_does_not_fit_the_state_is_refused()
    {
        var state = new RouterState("a", RouterHarness.Manifest);

        Assert.Throws<InvariantViolationException>(() => state.Apply(new JobAssigned(1, "ghost", "A1", 1)));
        Assert.Throws<InvariantViolationException>(() => state.Apply(new JobCompleted(1, "ghost", 1, "A1")));
    }

    [Fact]
    public void Snapshot_size_follows_live_state_not_history()
    {
        var h = new RouterHarness();
        h.Register("A1");
        h.Register("A2");
        Drive(h, 1, 20);
        Drain(h);
        h.TickTo(h.Now + 101); // past the dedupe window (100 ticks)
        var small = FabricJson.SerializeSnapshot(RouterSnapshot.Capture(h.State)).Length;

        Assert.Empty(h.State.Tombstones);
        Assert.True(small < 4_000, $"an idle router's snapshot should be small, was {small} bytes");
        Assert.True(h.State.Counters.Submitted > 50);
    }
}
