using Planetary.Fabric.Reporting;

namespace Planetary.Cli.Commands;

/// <summary>The acceptance checks of a drill, each of which can fail.</summary>
public static class AcceptanceVerdict
{
    public static IReadOnlyList<string> Failures(DrillSummary s, IReadOnlyList<NodeFigures> nodes)
    {
        var failures = new List<string>();
        if (s.JobsLost != 0)
        {
            failures.Add($"jobsLost is {s.JobsLost}, must be 0");
        }

        if (s.JobsCompleted + s.JobsFailed + s.JobsCancelled != s.JobsSubmitted)
        {
            failures.Add($"{s.JobsSubmitted - s.JobsCompleted - s.JobsFailed - s.JobsCancelled} jobs neither completed nor failed");
        }

        if (s.FailedAssignmentRate >= 0.02)
        {
            failures.Add($"failedAssignmentRate {s.FailedAssignmentRate:P2} is not below 2%");
        }

        if (!s.ResumedFromCheckpoint)
        {
            failures.Add("the crashed router did not resume from a checkpoint");
        }

        if (s.QueueSkew.P95 >= 200)
        {
            failures.Add($"queueSkew.p95 {s.QueueSkew.P95} is not below 200");
        }

        if (s.Checkpoints < 1)
        {
            failures.Add("no checkpoint was written");
        }

        foreach (var idle in nodes.Where(n => n.CompletedInBooks == 0))
        {
            failures.Add($"node {idle.NodeId} completed no job");
        }

        return failures;
    }

    public static bool Passed(DrillSummary s, IReadOnlyList<NodeFigures> nodes)
    {
        var failures = Failures(s, nodes);
        foreach (var failure in failures)
        {
            Console.Error.WriteLine($"ACCEPTANCE FAILED: {failure}");
        }

        return failures.Count == 0;
    }
}
