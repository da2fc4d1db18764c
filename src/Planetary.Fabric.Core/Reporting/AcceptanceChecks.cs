namespace Planetary.Fabric.Reporting;

/// <summary>The acceptance checks of a drill (simulated or live), each of which can fail.</summary>
public static class AcceptanceChecks
{
    public static IReadOnlyList<string> Failures(DrillSummary s, IReadOnlyList<NodeFigures> nodes)
    {
        var failures = new List<string>();
        if (s.JobsLost != 0)
        {
            failures.Add($"jobsLost is {s.JobsLost}, must be 0");
        }

        var ended = s.JobsCompleted + s.JobsFailed + s.JobsCancelled;
        if (ended != s.JobsSubmitted)
        {
            failures.Add($"{s.JobsSubmitted - ended} of {s.JobsSubmitted} jobs neither completed nor failed");
        }

        if (s.FailedAssignmentRate >= 0.02)
        {
            failures.Add($"failedAssignmentRate {s.FailedAssignmentRate:P2} is not below 2%");
        }

        if (s.Shards.Any(shard => shard.Recoveries > 0) && !s.ResumedFromCheckpoint)
        {
            failures.Add("a router restarted during the drill but did not resume from a checkpoint");
        }

        if (s.QueueSkew.P95 >= 200)
        {
            failures.Add($"queueSkew.p95 {s.QueueSkew.P95} is not below 200");
        }

        if (s.Checkpoints < 1)
        {
            failures.Add("no checkpoint was written");
        }

        if (s.OwnerChange is { } change && change.LargestMoveAfter <= change.LargestMoveBefore && change.Path == "routers.spilloverBatch")
        {
            failures.Add($"the owner's change of {change.Path} ({change.Before} → {change.After}) did not show: the largest spill move was {change.LargestMoveBefore} before and {change.LargestMoveAfter} after");
        }

        foreach (var idle in nodes.Where(n => n.CompletedInBooks == 0))
        {
            failures.Add($"node {idle.NodeId} completed no job");
        }

        return failures;
    }
}
