using System.Globalization;
using Planetary.Fabric.Reporting;

namespace Planetary.Fabric.Chaos;

/// <summary>Recovery times of one fault kind: how many were injected, and median and longest time to serve again.</summary>
public sealed record ChaosRecovery(ChaosFaultKind Kind, int Injected, int Recovered, long MedianMs, long MaxMs);

/// <summary>The checker's account of a chaos run; <see cref="Holds"/> when no guarantee broke.</summary>
public sealed record ChaosVerdict(
    int Submitted,
    int Completed,
    int Failed,
    int Cancelled,
    int RejectedLater,
    int Refused,
    int Unfinished,
    int Lost,
    int CompletedTwice,
    int TakenTwice,
    int AttemptsAssignedTwice,
    int RepeatedExecutions,
    int Duplicates,
    int DuplicatesKnown,
    int CancelsRequested,
    IReadOnlyList<ChaosRecovery> Recoveries,
    IReadOnlyList<string> Violations)
{
    public bool Holds => Violations.Count == 0;

    public int Faults => Recoveries.Sum(r => r.Injected);

    /// <summary>The report, a line each.</summary>
    public IEnumerable<string> Lines()
    {
        var c = CultureInfo.InvariantCulture;
        yield return string.Create(c, $"submitted {Submitted}: completed {Completed}, failed {Failed}, cancelled {Cancelled}, rejected after 202 {RejectedLater}, unfinished {Unfinished}");
        yield return string.Create(c, $"lost {Lost} (must be 0), completed twice {CompletedTwice} (must be 0), taken twice {TakenTwice} (must be 0), attempts assigned twice {AttemptsAssignedTwice} (must be 0)");
        yield return string.Create(c, $"executions repeated after a failed or lost attempt {RepeatedExecutions} (allowed)");
        yield return string.Create(c, $"refused at submission {Refused}; duplicate submits {Duplicates} ({DuplicatesKnown} answered as known or refused); cancels requested {CancelsRequested}");
        yield return string.Create(c, $"faults injected {Faults}:");
        foreach (var r in Recoveries)
        {
            yield return string.Create(c, $"  {ChaosFaultNames.Of(r.Kind),-16} {r.Injected,4} injected, {r.Recovered,4} recovered; serving again after median {r.MedianMs / 1000.0:F1} s, max {r.MaxMs / 1000.0:F1} s");
        }

        foreach (var violation in Violations)
        {
            yield return "BROKEN: " + violation;
        }

        yield return Holds ? "every guarantee held" : $"{Violations.Count} guarantee(s) broke";
    }
}

/// <summary>
/// Reads a chaos run's history and says whether the fabric kept its promise: every job it took is finished exactly once
/// (none lost, none finished twice), no id was taken twice, no attempt was handed out twice, and the fleet served again
/// after every fault. Repeated executions after a lost node are allowed and counted.
/// </summary>
public static class ChaosChecker
{
    private const int Examples = 5;

    public static ChaosVerdict Check(ChaosHistory history, IReadOnlyCollection<ChaosFaultKind> kindsPlanned)
    {
        var violations = new List<string>();
        var lost = new List<string>();
        var unfinished = new List<string>();
        var finishedTwice = new List<string>();
        var takenTwice = new List<string>();
        var assignedTwice = new List<string>();
        int submitted = 0, completed = 0, failed = 0, cancelled = 0, rejectedLater = 0, refused = 0, repeated = 0;

        foreach (var submission in history.Submissions)
        {
            if (submission.Admission is ChaosAdmission.Refused or ChaosAdmission.Known)
            {
                refused += submission.Admission == ChaosAdmission.Refused ? 1 : 0;
                continue;
            }

            submitted++;
            if (!history.Jobs.TryGetValue(submission.JobId, out var job) || job.Status is null)
            {
                lost.Add(submission.JobId);
                continue;
            }

            switch (job.Status)
            {
                case JobStatus.Completed:
                    completed++;
                    break;
                case JobStatus.Failed:
                    failed++;
                    break;
                case JobStatus.Cancelled:
                    cancelled++;
                    break;
                case JobStatus.Rejected when submission.Admission == ChaosAdmission.Pending && !job.Timeline.Any(e => e.Kind == JobEventKind.Accepted):
                    rejectedLater++;
                    break;
                case JobStatus.Rejected:
                    lost.Add($"{submission.JobId} (taken, then shown as rejected)");
                    break;
                default:
                    unfinished.Add($"{submission.JobId} ({JobStatusNames.Of(job.Status.Value)})");
                    break;
            }

            var finishes = job.Timeline.Count(e => e.Kind is JobEventKind.Completed or JobEventKind.Failed or JobEventKind.Cancelled);
            if (finishes > 1)
            {
                finishedTwice.Add($"{submission.JobId} ({finishes} times)");
            }

            var acceptances = job.Timeline.Where(e => e.Kind == JobEventKind.Accepted).ToArray();
            if (acceptances.Length > 1)
            {
                takenTwice.Add($"{submission.JobId} (on {string.Join(", ", acceptances.Select(e => e.Shard))})");
            }

            var assignments = job.Timeline.Where(e => e.Kind == JobEventKind.Assigned).ToArray();
            repeated += Math.Max(0, assignments.Length - 1);
            foreach (var twice in assignments.GroupBy(e => e.Attempt).Where(g => g.Count() > 1))
            {
                assignedTwice.Add($"{submission.JobId} attempt {twice.Key} ({twice.Count()} times)");
            }
        }

        Report(violations, lost, "accepted job(s) lost: the fabric said it took them and does not finish or hold them");
        Report(violations, unfinished, "accepted job(s) unfinished when the run ended (the fleet did not finish them in the drain time)");
        Report(violations, finishedTwice, "job(s) finished more than once");
        Report(violations, takenTwice, "job id(s) taken from a submission more than once (a known id ran again)");
        Report(violations, assignedTwice, "attempt(s) handed to nodes more than once");

        var recoveries = new List<ChaosRecovery>();
        foreach (var kind in kindsPlanned)
        {
            var records = history.Faults.Where(f => f.Fault.Kind == kind).ToArray();
            var times = records.Where(f => f.RecoveredAfterMs is not null).Select(f => f.RecoveredAfterMs!.Value).Order().ToArray();
            recoveries.Add(new ChaosRecovery(kind, records.Length, times.Length, times.Length == 0 ? 0 : times[times.Length / 2], times.Length == 0 ? 0 : times[^1]));
            if (records.Length == 0)
            {
                violations.Add($"no {ChaosFaultNames.Of(kind)} fault was injected (the run was too short, or the fleet had no target for it)");
            }

            foreach (var stuck in records.Where(f => f.RecoveredAfterMs is null))
            {
                violations.Add($"after fault {stuck.Fault.Index} ({ChaosFaultNames.Of(kind)} of {stuck.Target}) the fleet did not serve again within the recovery deadline");
            }
        }

        var duplicatesKnown = history.Duplicates.Count(d => d.Admission is ChaosAdmission.Known or ChaosAdmission.Refused);
        return new ChaosVerdict(
            submitted, completed, failed, cancelled, rejectedLater, refused, unfinished.Count, lost.Count, finishedTwice.Count, takenTwice.Count,
            assignedTwice.Count, repeated, history.Duplicates.Count, duplicatesKnown, history.CancelsRequested.Count, recoveries, violations);
    }

    private static void Report(List<string> violations, List<string> jobs, string what)
    {
        if (jobs.Count > 0)
        {
            violations.Add($"{jobs.Count} {what}, e.g. {string.Join("; ", jobs.Take(Examples))}");
        }
    }
}
