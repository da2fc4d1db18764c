using System.Globalization;
using Planetary.Fabric.Reporting;

namespace Planetary.OwnerControl.Apis;

/// <summary>One acceptance check of a drill as the owner reads it: what it requires, the measured figure, and the verdict.</summary>
/// <param name="Failure">The core's own words when the check failed.</param>
public sealed record AcceptanceCheckView(string Name, string Requirement, string Figure, bool Passed, string? Failure);

/// <summary>
/// Lays out the acceptance checks of a drill with their figures, for the console. The verdicts are not decided here:
/// they are the failures <see cref="AcceptanceChecks.Failures"/> (the core) found when the drill ended, each attributed
/// to the check it names. A failure that names no check listed here is shown as a check of its own, so nothing the core
/// says is hidden.
/// </summary>
public static class AcceptanceCheckViews
{
    public static IReadOnlyList<AcceptanceCheckView> Of(DrillSummary s, IReadOnlyList<NodeFigures> nodes, IReadOnlyList<string> failures)
    {
        var c = CultureInfo.InvariantCulture;
        var unclaimed = failures.ToList();
        var ended = s.JobsCompleted + s.JobsFailed + s.JobsCancelled;
        var recoveries = s.Shards.Sum(x => x.Recoveries);
        var checks = new List<AcceptanceCheckView>
        {
            Check("No job lost", "jobs lost must be 0", $"{s.JobsLost} lost",
                f => f.StartsWith("jobsLost ", StringComparison.Ordinal)),
            Check("Every job ended", "every submitted job completed, failed or was cancelled",
                $"{ended} of {s.JobsSubmitted} ended ({s.JobsCompleted} completed, {s.JobsFailed} failed, {s.JobsCancelled} cancelled)",
                f => f.EndsWith("jobs neither completed nor failed", StringComparison.Ordinal)),
            Check("Failed-assignment rate", "below 2%",
                $"{(s.FailedAssignmentRate * 100).ToString("0.00", c)}% ({s.AttemptsFailed} of {s.Assignments} attempts failed)",
                f => f.StartsWith("failedAssignmentRate ", StringComparison.Ordinal)),
            Check("Resumed from checkpoint", "a router that restarted resumes from a checkpoint",
                $"{(s.ResumedFromCheckpoint ? "resumed" : "not resumed")}; {recoveries} router restart(s)",
                f => f.Contains("did not resume from a checkpoint", StringComparison.Ordinal)),
            Check("Queue skew", "p95 below 200 jobs",
                $"p95 {s.QueueSkew.P95} (peak {s.QueueSkew.Peak}, final {s.QueueSkew.Final}, {s.QueueSkew.Samples} samples)",
                f => f.StartsWith("queueSkew.p95 ", StringComparison.Ordinal)),
            Check("Checkpoints written", "at least 1", $"{s.Checkpoints} written",
                f => f == "no checkpoint was written"),
            Check("Owner change took effect", "after a change of routers.spilloverBatch, the largest spill move grows",
                s.OwnerChange is { } change
                    ? $"{change.Path} {change.Before} → {change.After} at tick {change.AtTick}: largest spill move {change.LargestMoveBefore} before, {change.LargestMoveAfter} after"
                    : "no owner change during the drill",
                f => f.StartsWith("the owner's change of ", StringComparison.Ordinal)),
        };

        checks.AddRange(nodes.Select(n => Check($"Node {n.NodeId} did work", "completed at least one job",
            $"{n.CompletedInBooks} completed", f => f == $"node {n.NodeId} completed no job")));
        checks.AddRange(unclaimed.Select(f => new AcceptanceCheckView("Other check", "as the core states it", "—", false, f)));
        return checks;

        AcceptanceCheckView Check(string name, string requirement, string figure, Func<string, bool> names)
        {
            var failure = unclaimed.FirstOrDefault(names);
            if (failure is not null)
            {
                unclaimed.Remove(failure);
            }

            return new AcceptanceCheckView(name, requirement, figure, failure is null, failure);
        }
    }
}
