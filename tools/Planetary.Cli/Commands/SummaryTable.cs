using System.Globalization;
using Planetary.Fabric.Reporting;

namespace Planetary.Cli.Commands;

/// <summary>Prints a drill summary as the operator's table.</summary>
public static class SummaryTable
{
    public static void Print(TextWriter output, DrillSummary s, IReadOnlyList<NodeFigures>? nodes)
    {
        var c = CultureInfo.InvariantCulture;
        output.WriteLine($"Drill ({s.Mode}) seed {Planetary.Fabric.Drills.DrillSeed.Describe(s.Seed, s.SeedText)}, {s.JobsPerShard} jobs per shard, {s.DurationTicks} ticks");
        output.WriteLine();
        Row(output, "jobs submitted", s.JobsSubmitted.ToString(c));
        Row(output, "completed", s.JobsCompleted.ToString(c));
        Row(output, "failed", s.JobsFailed.ToString(c));
        Row(output, "lost", s.JobsLost.ToString(c) + (s.JobsLost == 0 ? "" : "   <-- MUST BE 0"));
        Row(output, "unfinished", s.JobsUnfinished.ToString(c));
        Row(output, "failed-assignment rate", s.FailedAssignmentRate.ToString("P2", c) + $" ({s.AttemptsFailed} of {s.Assignments} attempts)");
        Row(output, "spillovers", $"{s.Spillovers} moves, {s.JobsSpilled} jobs; {s.JobsForwarded} forwarded");
        Row(output, "checkpoints", s.Checkpoints.ToString(c));
        Row(output, "resumed from checkpoint", s.ResumedFromCheckpoint ? "yes" : "no");
        Row(output, "queue skew", $"peak {s.QueueSkew.Peak}, p95 {s.QueueSkew.P95}, final {s.QueueSkew.Final}");
        Row(output, "owner interventions", s.OwnerInterventions.ToString(c));
        if (s.OwnerChange is { } change)
        {
            Row(output, "owner change effect", $"{change.Path} {change.Before} → {change.After} at tick {change.AtTick}: largest spill move {change.LargestMoveBefore} before, {change.LargestMoveAfter} after");
        }
        if (s.Live is { } live)
        {
            Row(output, "wall time", $"{live.WallTimeMs / 1000.0:F1} s");
            Row(output, "throughput", $"{live.ThroughputJobsPerSecond:F0} jobs/s");
            Row(output, "submit→complete", $"p50 {live.SubmitToCompleteMs.P50:F0} ms, p95 {live.SubmitToCompleteMs.P95:F0} ms, p99 {live.SubmitToCompleteMs.P99:F0} ms");
        }

        if (s.Ceiling is { } ceiling)
        {
            Row(output, "slot ceiling", $"{ceiling.Ms / 1000.0:F1} s ({ceiling.Ticks} ticks, {ceiling.WorkSlotTicks} slot-ticks of work): {ceiling.BoundBy}");
            Row(output, "utilisation", ceiling.Utilisation is { } utilisation
                ? $"{utilisation.ToString("P0", c)} of the ceiling (ran {ceiling.ElapsedMs / 1000.0:F1} s)"
                : "not measured: the jobs take no time");
        }

        output.WriteLine();
        output.WriteLine($"  {"shard",-8} {"submitted",10} {"arrived",8} {"completed",10} {"failed",7} {"spilled",8} {"fwd",5} {"peak q",7}");
        foreach (var shard in s.Shards)
        {
            output.WriteLine($"  {shard.ShardId,-8} {shard.Submitted,10} {shard.ArrivedByTransfer,8} {shard.Completed,10} {shard.Failed,7} {shard.SpilledOut,8} {shard.ForwardedOut,5} {shard.PeakQueue,7}");
        }

        if (nodes is not null)
        {
            output.WriteLine();
            output.WriteLine($"  {"node",-18} {"shard",-6} {"started",8} {"ok",8} {"failed",7} {"lost",5} {"books",7} {"util",6}");
            foreach (var n in nodes)
            {
                output.WriteLine($"  {n.NodeId,-18} {n.ShardId,-6} {n.Started,8} {n.Succeeded,8} {n.Failed,7} {n.LostToOutage,5} {n.CompletedInBooks,7} {n.Utilisation,6:P0}");
            }
        }

        if (s.Faults.Count > 0)
        {
            output.WriteLine();
            foreach (var fault in s.Faults)
            {
                output.WriteLine($"  * {fault}");
            }
        }
    }

    private static void Row(TextWriter output, string name, string value) => output.WriteLine($"  {name,-24} {value}");
}
