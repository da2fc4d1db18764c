using Planetary.Contracts;
using Planetary.Fabric.Reporting;
using Planetary.Reporting;

namespace Planetary.OwnerControl.Drills;

/// <summary>
/// Turns what a live drill measured into the report bundle — the same files and <c>summary.json</c> contract as the
/// simulated drill, plus wall time, throughput and latency. Every figure comes from the books (final outcomes), the
/// services' own status reports (counter deltas over the drill), the owner log, the checkpointer's reports and the
/// restarted router's own account of what it restored.
/// </summary>
public static class LiveDrillReport
{
    public sealed record Result(ReportBundle Bundle, string Directory, IReadOnlyList<string> AcceptanceFailures);

    public static async Task<Result> BuildAsync(DrillContext context, DrillMeasurement m, CancellationToken cancellationToken)
    {
        var outcomes = await context.Books.OutcomesAsync(m.AcceptedJobIds);
        var ownerLog = (await context.Parameters.OwnerLogAsync()).Where(e => e.AtMs >= m.Baseline.StartedAtMs).ToArray();
        var timeline = (await context.Books.TimelinesAsync(m.AcceptedJobIds))
            .Select(e => new TimelineEvent(e.Tick, e.Job, e.Event, e.Shard, e.Node, e.Attempt, e.Detail, e.AtMs))
            .OrderBy(e => e.AtMs).ThenBy(e => e.JobId, StringComparer.Ordinal).ToArray();
        var shards = context.Fleet.Shards.ToDictionary(s => s.Key, s => s.Value.Report, StringComparer.Ordinal);
        var checkpoints = context.Fleet.Checkpoints.Where(c => c.AtMs >= m.Baseline.StartedAtMs && c.AtMs <= m.EndedAtMs).ToArray();
        var resume = m.CrashedShard is null
            ? null
            : context.Fleet.Resumes.LastOrDefault(r => r.ShardId == m.CrashedShard && r.StartedAtMs >= m.CrashSentAtMs);

        long Delta(string shard, Func<ShardStatusReported, long> counter) =>
            shards.TryGetValue(shard, out var end) ? counter(end) - (m.Baseline.Shards.TryGetValue(shard, out var start) ? counter(start) : 0) : 0;
        long Sum(Func<ShardStatusReported, long> counter) => context.Manifest.Shards.Sum(s => Delta(s.Id, counter));

        var assignments = Sum(s => s.Assignments);
        var attemptsFailed = Sum(s => s.AttemptsFailed);
        var finished = outcomes.Count;
        var wallMs = Math.Max(1, m.EndedAtMs - m.Baseline.StartedAtMs);
        var latencies = outcomes.Values.Where(o => o.Kind == JobOutcomeKind.Completed && o.FinishedAtMs > 0 && o.SubmittedAtMs > 0)
            .Select(o => (double)(o.FinishedAtMs - o.SubmittedAtMs)).Order().ToArray();
        var change = ownerLog.FirstOrDefault(e => e.Actor == context.Actor);

        var summary = new DrillSummary(
            Mode: "live",
            Seed: context.Plan.Seed,
            JobsPerShard: context.Plan.JobsPerShard,
            JobsSubmitted: m.AcceptedJobIds.Count,
            JobsCompleted: outcomes.Values.Count(o => o.Kind == JobOutcomeKind.Completed),
            JobsFailed: outcomes.Values.Count(o => o.Kind == JobOutcomeKind.Failed),
            JobsCancelled: outcomes.Values.Count(o => o.Kind == JobOutcomeKind.Cancelled),
            JobsLost: m.AcceptedJobIds.Count - finished, // accepted by a router, not in the books when the drill ended
            JobsUnfinished: m.AcceptedJobIds.Count - finished,
            FailedAssignmentRate: assignments == 0 ? 0 : Math.Round((double)attemptsFailed / assignments, 6),
            Assignments: assignments,
            AttemptsFailed: attemptsFailed,
            Spillovers: Sum(s => s.Spillovers),
            JobsSpilled: Sum(s => s.SpilledOut),
            JobsForwarded: Sum(s => s.ForwardedOut),
            Checkpoints: checkpoints.Length,
            ResumedFromCheckpoint: resume?.ResumedFromCheckpoint == true,
            QueueSkew: m.QueueSkew,
            DurationTicks: m.Ticks,
            OwnerInterventions: ownerLog.Length,
            ConfigHash: ConfigHash.Of(context.Manifest),
            Shards: context.Manifest.Shards.Select(s => new ShardFigures(
                s.Id,
                Delta(s.Id, x => x.Submitted),
                Delta(s.Id, x => x.ArrivedByTransfer),
                Delta(s.Id, x => x.Completed),
                Delta(s.Id, x => x.Failed),
                Delta(s.Id, x => x.SpilledOut),
                Delta(s.Id, x => x.ForwardedOut),
                m.PeakQueue.GetValueOrDefault(s.Id),
                Delta(s.Id, x => x.Recoveries))).ToArray(),
            Faults: m.Faults.Concat(resume is null ? [] :
            [
                $"router {resume.ShardId} came back (process {resume.ProcessId}) {resume.RecoveredAtMs - m.CrashSentAtMs} ms after the kill: " +
                $"restored snapshot {resume.SnapshotId ?? "(none)"} + {resume.JournalEntriesReplayed} journal entries, {resume.JobsRestored} jobs",
            ]).ToArray(),
            OwnerChange: change is null ? null : OwnerChangeEffect.Measure(change, timeline, e => e.AtMs > change.AtMs),
            Live: new LiveFigures(
                wallMs,
                Math.Round(finished / (wallMs / 1000.0), 1),
                latencies.Length == 0
                    ? new LatencyFigures(0, 0, 0, 0)
                    : new LatencyFigures(Percentile.NearestRank(latencies, 0.50), Percentile.NearestRank(latencies, 0.95), Percentile.NearestRank(latencies, 0.99), latencies[^1]),
                resume?.ShardId,
                resume is null ? null : resume.RecoveredAtMs - m.CrashSentAtMs));

        var completedByNode = outcomes.Values.Where(o => o.Kind == JobOutcomeKind.Completed && o.NodeId is not null)
            .GroupBy(o => o.NodeId!).ToDictionary(g => g.Key, g => (long)g.Count(), StringComparer.Ordinal);
        var nodes = context.Manifest.Nodes.Select(spec =>
        {
            context.Fleet.Nodes.TryGetValue(spec.Id, out var heard);
            m.Baseline.Nodes.TryGetValue(spec.Id, out var start);
            var end = heard?.Report;
            var same = start is not null && end is not null && start.InstanceId == end.InstanceId;
            long D(Func<NodeStatusReported, long> f) => end is null ? 0 : f(end) - (same ? f(start!) : 0);
            return new NodeFigures(
                spec.Id, spec.Shard, end?.Slots ?? spec.Concurrency, spec.Reliability,
                D(n => n.Started), D(n => n.Succeeded), D(n => n.Failed), D(n => n.Rejected), D(n => n.LostToOutage), D(n => n.Outages),
                completedByNode.GetValueOrDefault(spec.Id),
                m.Ticks == 0 ? 0 : Math.Round(D(n => n.BusyTicks) / ((double)(end?.Slots ?? spec.Concurrency) * m.Ticks), 4));
        }).ToArray();

        var status = new TopologyStatus(
            context.Fleet.Loads.ToDictionary(l => l.Key, l => l.Value.Report.Queued, StringComparer.Ordinal),
            context.Fleet.Shards.Values.SelectMany(s => s.Report.Nodes).Where(n => !n.Online).Select(n => n.NodeId).ToHashSet(StringComparer.Ordinal),
            context.Fleet.Shards.Values.Where(s => s.Report.Paused).Select(s => s.Report.ShardId).ToHashSet(StringComparer.Ordinal));
        var bundle = new ReportBundle(
            summary,
            nodes,
            ownerLog,
            checkpoints.Select(c => new CheckpointRecord(c.ShardId, c.SnapshotId, c.Tick, c.JournalPosition, c.Jobs, c.Tombstones, c.SizeBytes, c.JournalEntriesTrimmed, c.AtMs)).ToArray(),
            TopologyDiagram.Render(context.Manifest, status),
            timeline);

        var root = Path.GetFullPath(context.Options.ReportsDirectory);
        var directory = Path.Combine(root, context.Id);
        ReportBundleWriter.Write(directory, bundle);
        var latest = Path.Combine(root, "latest");
        if (Directory.Exists(latest))
        {
            Directory.Delete(latest, recursive: true);
        }

        ReportBundleWriter.Write(latest, bundle);
        return new Result(bundle, directory, AcceptanceChecks.Failures(summary, nodes));
    }
}
