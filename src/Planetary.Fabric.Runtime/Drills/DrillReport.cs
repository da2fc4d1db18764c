using Planetary.Contracts;
using Planetary.Fabric.Reporting;
using Planetary.Fabric.Routing;

namespace Planetary.Fabric.Runtime.Drills;

/// <summary>What a drill measured and what it concluded: the report bundle's contents.</summary>
public sealed record DrillReport(
    DrillSummary Summary,
    IReadOnlyList<NodeFigures> Nodes,
    IReadOnlyList<OwnerLogEntry> OwnerLog,
    IReadOnlyList<CheckpointRecord> Checkpoints,
    IReadOnlyList<TimelineEvent> Timeline,
    IReadOnlyList<string> AcceptanceFailures);

/// <summary>The fleet's counters and node statistics when the drill started.</summary>
public sealed record DrillBaseline(
    IReadOnlyDictionary<string, RouterCounters> Counters,
    IReadOnlyDictionary<string, NodeStatusReported> Nodes,
    long StartedAtMs);

/// <summary>Everything a drill measured, from which its summary is built.</summary>
/// <param name="HeldUnfinished">Accepted jobs not in the books but held by a router in durable state at the end.</param>
/// <param name="Counters">Each router's counters at the end, rebuilt from durable state.</param>
/// <param name="Resumes">Router starts during the drill.</param>
/// <param name="Crashes">Router kills the drill injected, with their time.</param>
public sealed record DrillFacts(
    DrillSetup Setup,
    DrillBaseline Baseline,
    long Ticks,
    long EndedAtMs,
    IReadOnlyCollection<string> Accepted,
    IReadOnlyDictionary<string, JobOutcome> Outcomes,
    int HeldUnfinished,
    IReadOnlyDictionary<string, RouterCounters> Counters,
    QueueSkewSummary QueueSkew,
    IReadOnlyDictionary<string, int> PeakQueue,
    IReadOnlyList<string> Faults,
    IReadOnlyList<RouterResumed> Resumes,
    IReadOnlyList<(string ShardId, long AtMs)> Crashes,
    IReadOnlyDictionary<string, NodeStatusReported> Nodes,
    IReadOnlyList<CheckpointRecord> Checkpoints,
    IReadOnlyList<OwnerLogEntry> OwnerLog,
    IReadOnlyList<TimelineEvent> Timeline);
