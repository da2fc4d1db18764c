using Planetary.Fabric.Reporting;

namespace Planetary.Reporting;

/// <summary>Everything one drill report holds. The same shape for simulated and live drills.</summary>
public sealed record ReportBundle(
    DrillSummary Summary,
    IReadOnlyList<NodeFigures> Nodes,
    IReadOnlyList<OwnerLogEntry> OwnerLog,
    IReadOnlyList<CheckpointRecord> Checkpoints,
    string TopologyMermaid,
    IReadOnlyList<TimelineEvent> Timeline);
