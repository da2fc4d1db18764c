using Planetary.Contracts;
using Planetary.Fabric.Drills;
using Planetary.Fabric.Reporting;
using Planetary.Fabric.Routing;

namespace Planetary.Fabric.Runtime.Drills;

/// <summary>
/// Builds a drill's summary and node figures from what it measured, the same way for the simulator and the live fleet.
/// Every figure comes from the books, the routers' counters rebuilt from durable state (deltas over the drill), the
/// nodes' own statistics, the owner log, the checkpoints and the restarted routers' own accounts.
/// </summary>
public static class DrillSummaryBuilder
{
    public static DrillReport Build(DrillFacts f)
    {
        var setup = f.Setup;
        var shards = setup.Manifest.Shards;
        RouterCounters Start(string shard) => f.Baseline.Counters.GetValueOrDefault(shard) ?? new RouterCounters();
        RouterCounters End(string shard) => f.Counters.GetValueOrDefault(shard) ?? new RouterCounters();
        long Delta(string shard, Func<RouterCounters, long> counter) => counter(End(shard)) - counter(Start(shard));
        long Sum(Func<RouterCounters, long> counter) => shards.Sum(s => Delta(s.Id, counter));

        var outcomes = f.Outcomes.Values;
        var finished = f.Outcomes.Count;
        var assignments = Sum(c => c.Assignments);
        var attemptsFailed = Sum(c => c.AttemptsFailed);
        var restarts = f.Resumes.Where(r => f.Crashes.Any(c => c.ShardId == r.ShardId && r.StartedAtMs >= c.AtMs)).ToArray();
        var ownerChange = f.OwnerLog.FirstOrDefault(e => e.Actor == setup.Actor);

        var summary = new DrillSummary(
            Mode: setup.Mode == DrillMode.Live ? "live" : "simulated",
            Seed: setup.Plan.Seed,
            SeedText: setup.Plan.SeedText,
            JobsPerShard: setup.Plan.JobsPerShard,
            JobsSubmitted: f.Accepted.Count,
            JobsCompleted: outcomes.Count(o => o.Kind == JobOutcomeKind.Completed),
            JobsFailed: outcomes.Count(o => o.Kind == JobOutcomeKind.Failed),
            JobsCancelled: outcomes.Count(o => o.Kind == JobOutcomeKind.Cancelled),
            JobsLost: f.Accepted.Count - finished - f.HeldUnfinished, // accepted, not in the books, held by no router
            JobsUnfinished: f.HeldUnfinished,
            FailedAssignmentRate: assignments == 0 ? 0 : Math.Round((double)attemptsFailed / assignments, 6),
            Assignments: assignments,
            AttemptsFailed: attemptsFailed,
            Spillovers: Sum(c => c.Spillovers),
            JobsSpilled: Sum(c => c.SpilledOut),
            JobsForwarded: Sum(c => c.ForwardedOut),
            Checkpoints: f.Checkpoints.Count,
            ResumedFromCheckpoint: restarts.Any(r => r.ResumedFromCheckpoint),
            QueueSkew: f.QueueSkew,
            DurationTicks: f.Ticks,
            OwnerInterventions: f.OwnerLog.Count,
            ConfigHash: ConfigHash.Of(setup.Manifest),
            Shards: shards.Select(s => new ShardFigures(
                s.Id,
                Delta(s.Id, c => c.Submitted),
                Delta(s.Id, c => c.ArrivedByTransfer),
                Delta(s.Id, c => c.Completed),
                Delta(s.Id, c => c.Failed),
                Delta(s.Id, c => c.SpilledOut),
                Delta(s.Id, c => c.ForwardedOut),
                f.PeakQueue.GetValueOrDefault(s.Id),
                Delta(s.Id, c => c.Recoveries))).ToArray(),
            Faults: f.Faults.Concat(restarts.Select(r => Restarted(r, f.Crashes))).ToArray(),
            OwnerChange: ownerChange is null ? null : OwnerChangeEffect.Measure(ownerChange, f.Timeline, e => e.AtMs > ownerChange.AtMs),
            Live: setup.Mode == DrillMode.Live ? LiveFiguresOf(f, finished, restarts) : null,
            Ceiling: CeilingOf(f));

        var nodes = NodeFiguresOf(f);
        return new DrillReport(summary, nodes, f.OwnerLog, f.Checkpoints, f.Timeline, AcceptanceChecks.Failures(summary, nodes));
    }

    private static string Restarted(RouterResumed r, IReadOnlyList<(string ShardId, long AtMs)> crashes)
    {
        var killedAt = crashes.Where(c => c.ShardId == r.ShardId && c.AtMs <= r.StartedAtMs).Max(c => c.AtMs);
        return $"router {r.ShardId} came back (process {r.InstanceId}) {r.RecoveredAtMs - killedAt} ms after the kill: " +
            $"restored snapshot {r.SnapshotId ?? "(none)"} + {r.JournalEntriesReplayed} journal entries, {r.JobsRestored} jobs";
    }

    private static CeilingFigures CeilingOf(DrillFacts f)
    {
        var manifest = f.Setup.Manifest;
        var ceiling = DrillCeiling.Of(manifest, f.Setup.Plan);
        var ceilingMs = ceiling.Ticks * manifest.Routers.TickMs;
        var elapsedMs = Math.Max(1, f.EndedAtMs - f.Baseline.StartedAtMs);
        var boundBy = ceiling.WorkSlotTicks == 0 ? "no work: the jobs take no time at this time scale"
            : ceiling.BindingSlots == ceiling.Slots ? $"all {ceiling.Slots} slots busy from start to end"
            : $"{string.Join(", ", ceiling.BindingTemplates)} can run only on {string.Join(", ", ceiling.BindingNodes)} ({ceiling.BindingSlots} of {ceiling.Slots} slots)";
        return new CeilingFigures(
            ceiling.Ticks, ceilingMs, ceiling.Slots, ceiling.WorkSlotTicks, boundBy, elapsedMs,
            ceiling.WorkSlotTicks == 0 ? null : Math.Round((double)ceilingMs / elapsedMs, 3));
    }

    private static LiveFigures LiveFiguresOf(DrillFacts f, int finished, IReadOnlyList<RouterResumed> restarts)
    {
        var wallMs = Math.Max(1, f.EndedAtMs - f.Baseline.StartedAtMs);
        var latencies = f.Outcomes.Values.Where(o => o.Kind == JobOutcomeKind.Completed && o.FinishedAtMs > 0 && o.SubmittedAtMs > 0)
            .Select(o => (double)(o.FinishedAtMs - o.SubmittedAtMs)).Order().ToArray();
        var first = restarts.FirstOrDefault();
        long? downMs = first is null ? null : first.RecoveredAtMs - f.Crashes.Where(c => c.ShardId == first.ShardId && c.AtMs <= first.StartedAtMs).Max(c => c.AtMs);
        return new LiveFigures(
            wallMs,
            Math.Round(finished / (wallMs / 1000.0), 1),
            latencies.Length == 0
                ? new LatencyFigures(0, 0, 0, 0)
                : new LatencyFigures(Percentile.NearestRank(latencies, 0.50), Percentile.NearestRank(latencies, 0.95), Percentile.NearestRank(latencies, 0.99), latencies[^1]),
            first?.ShardId,
            downMs);
    }

    /// <summary>Each node's work during the drill: its own statistics (a delta when the same process ran throughout) and its completions in the books.</summary>
    private static NodeFigures[] NodeFiguresOf(DrillFacts f)
    {
        var completedByNode = f.Outcomes.Values.Where(o => o.Kind == JobOutcomeKind.Completed && o.NodeId is not null)
            .GroupBy(o => o.NodeId!).ToDictionary(g => g.Key, g => (long)g.Count(), StringComparer.Ordinal);
        return f.Setup.Manifest.Nodes.Select(spec =>
        {
            f.Nodes.TryGetValue(spec.Id, out var end);
            f.Baseline.Nodes.TryGetValue(spec.Id, out var start);
            var same = start is not null && end is not null && start.InstanceId == end.InstanceId;
            long D(Func<NodeStatusReported, long> counter) => end is null ? 0 : counter(end) - (same ? counter(start!) : 0);
            var slots = end?.Slots ?? spec.Concurrency;
            return new NodeFigures(
                spec.Id, spec.Shard, slots, spec.Reliability,
                D(n => n.Started), D(n => n.Succeeded), D(n => n.Failed), D(n => n.Rejected), D(n => n.LostToOutage), D(n => n.Outages),
                completedByNode.GetValueOrDefault(spec.Id),
                f.Ticks == 0 ? 0 : Math.Round(D(n => n.BusyTicks) / ((double)slots * f.Ticks), 4));
        }).ToArray();
    }
}
