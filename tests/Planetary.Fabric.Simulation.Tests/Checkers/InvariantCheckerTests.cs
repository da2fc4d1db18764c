using Planetary.Contracts;
using Planetary.Fabric.Journal;
using Planetary.Fabric.Manifest;
using Planetary.Fabric.Routing;
using Planetary.Fabric.Runtime.Ports;

namespace Planetary.Fabric.Simulation.Tests.Checkers;

/// <summary>The invariant checker fires on histories that break each guarantee, and stays quiet on one that keeps them.</summary>
public sealed class InvariantCheckerTests
{
    private static readonly FabricManifest Genesis = ManifestLoader.LoadDefault();
    private long _seq;

    [Fact]
    public void A_history_that_keeps_every_guarantee_passes()
    {
        var checker = new InvariantChecker(1, Genesis);
        Append(checker, "earth", Accepted("j1"), new JobCancelled(2, "j1", "owner"));
        Append(checker, "earth", Accepted("j2", tick: 3));

        checker.Check([("EARTH-TITAN-01", 12, 12)]);

        Assert.Equal(1, checker.Open);
    }

    [Fact]
    public void A_job_held_by_no_router_is_lost()
    {
        var checker = new InvariantChecker(7, Genesis);
        Append(checker, "earth", Accepted("j1"), new JobsSentToShard(2, "earth-x1", "luna", TransferReason.Spillover, ["j1"]));
        Append(checker, "earth", new TransferSettled(3, "earth-x1", ["j1"], [], null)); // luna "accepted" it, but never journaled it

        var e = Assert.Throws<SimulationInvariantException>(() => checker.Check(Array.Empty<(string, int, int)>()));
        Assert.Contains("j1 was lost", e.Message);
        Assert.Equal(7UL, e.Seed);
    }

    [Fact]
    public void A_lost_job_is_found_by_the_check_after_the_move_and_by_every_full_check_after_that()
    {
        var checker = new InvariantChecker(7, Genesis);
        Append(checker, "earth", Accepted("j1"), new JobsSentToShard(2, "earth-x1", "luna", TransferReason.Spillover, ["j1"]));
        Append(checker, "earth", new TransferSettled(3, "earth-x1", ["j1"], [], null));
        Assert.Throws<SimulationInvariantException>(() => checker.Check(Array.Empty<(string, int, int)>()));

        // Nothing moved since: the next check looks only at moved jobs; a full check looks at every open job.
        checker.Check(Array.Empty<(string, int, int)>());
        var e = Assert.Throws<SimulationInvariantException>(() => checker.Check(Array.Empty<(string, int, int)>(), everyJob: true));
        Assert.Contains("j1 was lost", e.Message);
    }

    [Fact]
    public void A_job_held_by_two_routers_is_found()
    {
        var checker = new InvariantChecker(1, Genesis);
        Append(checker, "earth", Accepted("j1"));
        Append(checker, "luna", Accepted("j1", fromShard: "earth"));

        var e = Assert.Throws<SimulationInvariantException>(() => checker.Check(Array.Empty<(string, int, int)>()));
        Assert.Contains("held by 2 routers", e.Message);
    }

    [Fact]
    public void A_job_finished_twice_is_found()
    {
        var checker = new InvariantChecker(1, Genesis);
        Append(checker, "earth", Accepted("j1"), new JobCancelled(2, "j1", "owner"));
        Append(checker, "luna", Accepted("j1", fromShard: "earth"));

        var e = Assert.Throws<SimulationInvariantException>(() => Append(checker, "luna", new JobCancelled(3, "j1", "owner")));
        Assert.Contains("finished twice", e.Message);
    }

    [Fact]
    public void A_job_finished_while_another_router_holds_it_is_found()
    {
        var checker = new InvariantChecker(1, Genesis);
        Append(checker, "earth", Accepted("j1"));
        Append(checker, "luna", Accepted("j1", fromShard: "earth"));

        var e = Assert.Throws<SimulationInvariantException>(() => Append(checker, "luna", new JobCancelled(3, "j1", "owner")));
        Assert.Contains("while earth holds it", e.Message);
    }

    [Fact]
    public void Outcomes_the_books_already_had_are_a_job_finished_twice()
    {
        var checker = new InvariantChecker(1, Genesis);
        var outcome = new JobOutcome("j1", JobOutcomeKind.Completed, "earth", "EARTH-TITAN-01", 1, 0, "earth", "governance-review", null, 0, 1, 2);

        var e = Assert.Throws<SimulationInvariantException>(() => checker.OnOutcomesAlreadyInBooks([outcome]));
        Assert.Contains("j1", e.Message);
    }

    [Fact]
    public void A_job_accepted_from_a_submission_twice_is_found()
    {
        var checker = new InvariantChecker(1, Genesis);
        Append(checker, "earth", Accepted("j1"), new JobCancelled(2, "j1", "owner"));

        var e = Assert.Throws<SimulationInvariantException>(() => Append(checker, "luna", Accepted("j1")));
        Assert.Contains("accepted from a submission twice", e.Message);
    }

    [Fact]
    public void A_node_over_its_slots_is_found()
    {
        var checker = new InvariantChecker(1, Genesis);

        var e = Assert.Throws<SimulationInvariantException>(() => checker.Check([("MARS-ARES-02", 9, 8)]));
        Assert.Contains("MARS-ARES-02 runs 9 attempts with 8 slots", e.Message);
    }

    [Fact]
    public void A_journal_that_does_not_fold_is_found()
    {
        var checker = new InvariantChecker(1, Genesis);

        var e = Assert.Throws<SimulationInvariantException>(() => Append(checker, "earth", new JobCompleted(1, "ghost", 1, "EARTH-TITAN-01")));
        Assert.Contains("does not fold", e.Message);
    }

    [Fact]
    public void A_router_whose_memory_is_not_what_its_journal_replays_to_is_found()
    {
        var checker = new InvariantChecker(1, Genesis);
        Append(checker, "earth", Accepted("j1"));
        var memory = new RouterState("earth", Genesis);
        memory.Apply(Accepted("j1"));
        checker.CheckReplay("earth", memory); // the same: fine

        memory.Apply(Accepted("j2", tick: 2)); // memory ahead of the journal (a change outside a commit)
        var e = Assert.Throws<SimulationInvariantException>(() => checker.CheckReplay("earth", memory));
        Assert.Contains("differs from replaying its journal", e.Message);
    }

    private static JobAccepted Accepted(string jobId, string? fromShard = null, long tick = 1) =>
        new(tick, jobId, "governance-review", fromShard ?? "earth", fromShard is null ? 0 : 1, 0, 0, fromShard);

    private void Append(InvariantChecker checker, string shard, params JournalEntry[] entries) =>
        checker.OnAppended(shard, new JournalRecord(new JournalPosition(++_seq, $"{_seq}"), 1, entries));
}
