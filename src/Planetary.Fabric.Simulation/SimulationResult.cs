using Planetary.Fabric.Reporting;

namespace Planetary.Fabric.Simulation;

/// <summary>What a simulated run measured: the report bundle's contents.</summary>
public sealed record SimulationResult(
    DrillSummary Summary,
    IReadOnlyList<NodeFigures> Nodes,
    IReadOnlyList<OwnerLogEntry> OwnerLog,
    IReadOnlyList<CheckpointRecord> Checkpoints,
    IReadOnlyList<TimelineEvent> Timeline,
    long InvariantChecks,
    long MessagesSent,
    long MessagesDropped,
    long MessagesDuplicated);
