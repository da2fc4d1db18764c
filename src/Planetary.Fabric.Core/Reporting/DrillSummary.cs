namespace Planetary.Fabric.Reporting;

/// <summary>
/// <c>summary.json</c>: the contract shared by the simulated and the live drill (serialised camelCase). Every
/// figure is measured during the run; <see cref="Live"/> is present only for drills on the live fleet.
/// <see cref="SeedText"/> is the seed as the owner gave it when it was text (the drill ran on its hash,
/// <see cref="Seed"/>); absent for a numeric seed.
/// </summary>
public sealed record DrillSummary(
    string Mode,
    ulong Seed,
    int JobsPerShard,
    long JobsSubmitted,
    long JobsCompleted,
    long JobsFailed,
    long JobsCancelled,
    long JobsLost,
    long JobsUnfinished,
    double FailedAssignmentRate,
    long Assignments,
    long AttemptsFailed,
    long Spillovers,
    long JobsSpilled,
    long JobsForwarded,
    long Checkpoints,
    bool ResumedFromCheckpoint,
    QueueSkewSummary QueueSkew,
    long DurationTicks,
    int OwnerInterventions,
    string ConfigHash,
    IReadOnlyList<ShardFigures> Shards,
    IReadOnlyList<string> Faults,
    OwnerChangeEffect? OwnerChange,
    LiveFigures? Live,
    string? SeedText = null,
    CeilingFigures? Ceiling = null);

/// <summary>
/// The drill's slot ceiling (<see cref="Drills.DrillCeiling"/>): at best <see cref="Ticks"/> ticks (<see cref="Ms"/> ms)
/// for <see cref="WorkSlotTicks"/> slot-ticks of work on <see cref="Slots"/> slots, set by <see cref="BoundBy"/>; and how
/// near the run came: <see cref="Utilisation"/> = the ceiling over the run's <see cref="ElapsedMs"/> (absent when the
/// jobs take no time, at time scale 0).
/// </summary>
public sealed record CeilingFigures(long Ticks, long Ms, int Slots, long WorkSlotTicks, string BoundBy, long ElapsedMs, double? Utilisation);

/// <summary>
/// Whether the owner's mid-run change showed in behaviour: for <c>routers.spilloverBatch</c>, the largest spillover
/// move (jobs in one transfer) before and after the change, measured from the job timeline.
/// </summary>
public sealed record OwnerChangeEffect(string Path, string? Before, string? After, long AtTick, int LargestMoveBefore, int LargestMoveAfter)
{
    /// <summary>Measures the effect from timeline events (spills grouped by tick, shard and target).</summary>
    public static OwnerChangeEffect Measure(OwnerLogEntry change, IEnumerable<TimelineEvent> timeline, Func<TimelineEvent, bool> isAfterChange)
    {
        var moves = timeline.Where(e => e.Kind == JobEventKind.Spilled)
            .GroupBy(e => (e.Tick, e.Shard, e.Detail))
            .Select(g => (After: isAfterChange(g.First()), Size: g.Count()))
            .ToArray();
        return new OwnerChangeEffect(
            change.Path, change.Before, change.After, change.Tick,
            moves.Where(m => !m.After).Select(m => m.Size).DefaultIfEmpty(0).Max(),
            moves.Where(m => m.After).Select(m => m.Size).DefaultIfEmpty(0).Max());
    }
}

/// <summary>Queue skew (largest minus smallest shard queue), sampled every tick of the run.</summary>
public sealed record QueueSkewSummary(int Peak, int P95, int Final, int Samples);

public sealed record ShardFigures(
    string ShardId,
    long Submitted,
    long ArrivedByTransfer,
    long Completed,
    long Failed,
    long SpilledOut,
    long ForwardedOut,
    int PeakQueue,
    long Recoveries);

/// <summary>Figures only a run on the live fleet has.</summary>
public sealed record LiveFigures(
    long WallTimeMs,
    double ThroughputJobsPerSecond,
    LatencyFigures SubmitToCompleteMs,
    string? RestartedRouter,
    long? RouterDownMs);

public sealed record LatencyFigures(double P50, double P95, double P99, double Max);

/// <summary>One line of <c>nodes.json</c>.</summary>
public sealed record NodeFigures(
    string NodeId,
    string ShardId,
    int Concurrency,
    double Reliability,
    long Started,
    long Succeeded,
    long Failed,
    long Rejected,
    long LostToOutage,
    long Outages,
    long CompletedInBooks,
    double Utilisation);

/// <summary>One line of <c>owner-log.json</c>.</summary>
public sealed record OwnerLogEntry(long Version, string Actor, string Path, string? Before, string? After, long Tick, long AtMs);

/// <summary>One line of <c>checkpoints.json</c>: metadata only, never the state itself.</summary>
public sealed record CheckpointRecord(string ShardId, string SnapshotId, long Tick, string JournalPosition, int Jobs, int Tombstones, long SizeBytes, long JournalEntriesTrimmed, long AtMs = 0);
