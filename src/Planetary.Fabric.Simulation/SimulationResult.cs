using Planetary.Fabric.Reporting;

namespace Planetary.Fabric.Simulation;

/// <summary>
/// What a simulated run measured: the report bundle's contents, how hard the run checked itself, and every process that
/// stopped itself (<see cref="ProcessStops"/>: a fail-stop, with the tick, process and reason).
/// </summary>
public sealed record SimulationResult(
    DrillSummary Summary,
    IReadOnlyList<NodeFigures> Nodes,
    IReadOnlyList<OwnerLogEntry> OwnerLog,
    IReadOnlyList<CheckpointRecord> Checkpoints,
    IReadOnlyList<TimelineEvent> Timeline,
    IReadOnlyList<string> AcceptanceFailures,
    long InvariantChecks,
    long ReplayChecks,
    IReadOnlyList<string> ProcessStops,
    long MessagesQuarantined,
    long MessagesSent,
    long MessagesDropped,
    long MessagesDuplicated);
