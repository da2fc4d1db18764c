using Planetary.Fabric.Drills;
using Planetary.Fabric.Hosting.Messaging;
using Planetary.Fabric.Hosting.Redis;
using Planetary.Fabric.Manifest;
using Planetary.OwnerControl.Fleet;

namespace Planetary.OwnerControl.Drills;

/// <summary>Everything one live drill works with.</summary>
public sealed record DrillContext(
    string Id,
    string JobPrefix,
    string Actor,
    long StartedAtMs,
    DrillPlan Plan,
    FabricManifest Manifest,
    DrillOptions Options,
    FleetView Fleet,
    Books Books,
    ParameterStore Parameters,
    EffectDispatcher Dispatcher,
    IOwnerParameterChanger Changer,
    TimeProvider Time,
    ILogger Logger);

/// <summary>The services' counters when the drill started, so the report counts only what the drill did.</summary>
public sealed record FleetBaseline(
    IReadOnlyDictionary<string, Contracts.ShardStatusReported> Shards,
    IReadOnlyDictionary<string, Contracts.NodeStatusReported> Nodes,
    long StartedAtMs)
{
    public static FleetBaseline Capture(DrillContext context) => new(
        context.Fleet.Shards.ToDictionary(s => s.Key, s => s.Value.Report, StringComparer.Ordinal),
        context.Fleet.Nodes.ToDictionary(n => n.Key, n => n.Value.Report, StringComparer.Ordinal),
        context.Time.GetUtcNow().ToUnixTimeMilliseconds());
}

/// <summary>What the streaming phase measured.</summary>
public sealed record DrillMeasurement(
    FleetBaseline Baseline,
    long Ticks,
    long EndedAtMs,
    IReadOnlyCollection<string> AcceptedJobIds,
    IReadOnlyDictionary<string, Contracts.JobOutcome> Outcomes,
    Fabric.Reporting.QueueSkewSummary QueueSkew,
    IReadOnlyDictionary<string, int> PeakQueue,
    IReadOnlyList<string> Faults,
    string? CrashedShard,
    long? CrashSentAtMs,
    IReadOnlyDictionary<string, long> SubmittedPerShard);
