using Planetary.Fabric.Chaos;
using Planetary.Fabric.Reporting;

namespace Planetary.Fabric.Core.Tests.Chaos;

/// <summary>The chaos checker passes a clean history and fires on each doctored one.</summary>
public sealed class ChaosCheckerTests
{
    private static readonly ChaosFaultKind[] Kinds = [ChaosFaultKind.KillService];

    [Fact]
    public void A_clean_history_holds_and_counts_every_outcome()
    {
        var verdict = ChaosChecker.Check(History(
            [Taken("a"), Taken("b"), Taken("c"), new ChaosSubmission("d", "earth", ChaosAdmission.Refused)],
            [Done("a", JobStatus.Completed), Done("b", JobStatus.Failed), Done("c", JobStatus.Cancelled)]), Kinds);

        Assert.True(verdict.Holds, string.Join("; ", verdict.Violations));
        Assert.Equal((3, 1, 1, 1, 1), (verdict.Submitted, verdict.Completed, verdict.Failed, verdict.Cancelled, verdict.Refused));
        Assert.Equal(0, verdict.Lost);
        Assert.Contains("every guarantee held", verdict.Lines());
    }

    [Fact]
    public void A_job_taken_and_unknown_at_the_end_is_lost()
    {
        var verdict = ChaosChecker.Check(History([Taken("a"), Taken("b")], [Done("a", JobStatus.Completed), new ChaosJobState("b", null, [])]), Kinds);

        Assert.False(verdict.Holds);
        Assert.Equal(1, verdict.Lost);
        Assert.Contains(verdict.Violations, v => v.Contains("lost", StringComparison.Ordinal) && v.Contains('b'));
        Assert.Contains(verdict.Lines(), l => l.StartsWith("BROKEN: 1 accepted job(s) lost", StringComparison.Ordinal));
    }

    [Fact]
    public void A_job_missing_from_the_read_back_is_lost()
    {
        var verdict = ChaosChecker.Check(History([Taken("a")], []), Kinds);

        Assert.Equal(1, verdict.Lost);
        Assert.False(verdict.Holds);
    }

    [Fact]
    public void A_job_that_completes_twice_breaks_the_promise()
    {
        var twice = new ChaosJobState("a", JobStatus.Completed,
        [
            Event(JobEventKind.Accepted), Event(JobEventKind.Assigned, 1), Event(JobEventKind.Completed, 1),
            Event(JobEventKind.Assigned, 2), Event(JobEventKind.Completed, 2),
        ]);
        var verdict = ChaosChecker.Check(History([Taken("a")], [twice]), Kinds);

        Assert.Equal(1, verdict.CompletedTwice);
        Assert.Contains(verdict.Violations, v => v.Contains("finished more than once", StringComparison.Ordinal));
    }

    [Fact]
    public void A_known_id_taken_again_from_a_submission_breaks_the_promise()
    {
        var again = new ChaosJobState("a", JobStatus.Completed,
            [Event(JobEventKind.Accepted), Event(JobEventKind.Assigned, 1), Event(JobEventKind.Completed, 1), Event(JobEventKind.Accepted, shard: "luna")]);
        var verdict = ChaosChecker.Check(History([Taken("a")], [again]), Kinds);

        Assert.Equal(1, verdict.TakenTwice);
        Assert.Contains(verdict.Violations, v => v.Contains("on earth, luna", StringComparison.Ordinal));
    }

    [Fact]
    public void An_attempt_handed_out_twice_breaks_the_promise_but_a_retry_after_a_lost_attempt_is_only_counted()
    {
        var retried = new ChaosJobState("a", JobStatus.Completed,
            [Event(JobEventKind.Accepted), Event(JobEventKind.Assigned, 1), Event(JobEventKind.AttemptFailed, 1), Event(JobEventKind.Assigned, 2), Event(JobEventKind.Completed, 2)]);
        var doubled = new ChaosJobState("b", JobStatus.Completed,
            [Event(JobEventKind.Accepted), Event(JobEventKind.Assigned, 1), Event(JobEventKind.Assigned, 1), Event(JobEventKind.Completed, 1)]);

        var clean = ChaosChecker.Check(History([Taken("a")], [retried]), Kinds);
        var broken = ChaosChecker.Check(History([Taken("a"), Taken("b")], [retried, doubled]), Kinds);

        Assert.True(clean.Holds, string.Join("; ", clean.Violations));
        Assert.Equal(1, clean.RepeatedExecutions);
        Assert.Equal(1, broken.AttemptsAssignedTwice);
        Assert.Contains(broken.Violations, v => v.Contains("b attempt 1 (2 times)", StringComparison.Ordinal));
    }

    [Fact]
    public void A_job_still_queued_at_the_end_is_unfinished()
    {
        var verdict = ChaosChecker.Check(History([Taken("a")], [new ChaosJobState("a", JobStatus.Queued, [Event(JobEventKind.Accepted)])]), Kinds);

        Assert.Equal(1, verdict.Unfinished);
        Assert.Contains(verdict.Violations, v => v.Contains("unfinished", StringComparison.Ordinal) && v.Contains("a (queued)", StringComparison.Ordinal));
    }

    [Fact]
    public void A_pending_job_refused_later_is_counted_but_a_taken_job_shown_as_rejected_is_lost()
    {
        var refused = new ChaosJobState("a", JobStatus.Rejected, [Event(JobEventKind.Rejected)]);
        var pending = ChaosChecker.Check(History([new ChaosSubmission("a", "earth", ChaosAdmission.Pending)], [refused]), Kinds);
        var taken = ChaosChecker.Check(History([Taken("a")], [refused]), Kinds);

        Assert.True(pending.Holds, string.Join("; ", pending.Violations));
        Assert.Equal(1, pending.RejectedLater);
        Assert.Equal(1, taken.Lost);
    }

    [Fact]
    public void A_fault_the_fleet_never_recovered_from_and_a_kind_never_injected_both_break_the_run()
    {
        var stuck = new ChaosFaultRecord(new ChaosFault(0, ChaosFaultKind.KillService, 3, 0, 0), "router-earth", "kill -9", 1_000, null);
        var verdict = ChaosChecker.Check(History([], [], [stuck]), [ChaosFaultKind.KillService, ChaosFaultKind.KillBroker]);

        Assert.Contains(verdict.Violations, v => v.Contains("did not serve again", StringComparison.Ordinal) && v.Contains("router-earth", StringComparison.Ordinal));
        Assert.Contains(verdict.Violations, v => v.Contains("no kill-broker fault was injected", StringComparison.Ordinal));
        Assert.Equal(1, verdict.Recoveries.Single(r => r.Kind == ChaosFaultKind.KillService).Injected);
        Assert.Equal(0, verdict.Recoveries.Single(r => r.Kind == ChaosFaultKind.KillService).Recovered);
    }

    [Fact]
    public void Recovery_times_are_summarised_per_kind()
    {
        ChaosFaultRecord Fault(int index, long ms) => new(new ChaosFault(index, ChaosFaultKind.KillService, 0, 0, 0), "x", "kill", 0, ms);
        var verdict = ChaosChecker.Check(History([], [], [Fault(0, 3_000), Fault(1, 1_000), Fault(2, 9_000)]), Kinds);

        var recovery = verdict.Recoveries.Single();
        Assert.Equal((3, 3, 3_000L, 9_000L), (recovery.Injected, recovery.Recovered, recovery.MedianMs, recovery.MaxMs));
        Assert.True(verdict.Holds);
    }

    private static ChaosSubmission Taken(string id) => new(id, "earth", ChaosAdmission.Taken);

    private static ChaosJobState Done(string id, JobStatus status) => new(id, status,
        [Event(JobEventKind.Accepted), Event(JobEventKind.Assigned, 1), Event(status switch
        {
            JobStatus.Completed => JobEventKind.Completed,
            JobStatus.Failed => JobEventKind.Failed,
            _ => JobEventKind.Cancelled,
        }, 1)]);

    private static ChaosJobEvent Event(JobEventKind kind, int attempt = 0, string shard = "earth") => new(kind, shard, attempt > 0 ? "EARTH-TITAN-01" : null, attempt);

    private static ChaosHistory History(IReadOnlyList<ChaosSubmission> submissions, IReadOnlyList<ChaosJobState> jobs, IReadOnlyList<ChaosFaultRecord>? faults = null) =>
        new(submissions, [], [], jobs.ToDictionary(j => j.JobId, StringComparer.Ordinal),
            faults ?? [new ChaosFaultRecord(new ChaosFault(0, ChaosFaultKind.KillService, 0, 0, 0), "router-earth", "kill -9", 0, 2_000)]);
}
