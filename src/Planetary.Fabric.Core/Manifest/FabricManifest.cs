namespace Planetary.Fabric.Manifest;

/// <summary>
/// The owner manifest: the genesis of the fabric. Every value the owner may change later is declared in
/// <see cref="Parameters.ParameterCatalog"/>; the manifest holds the current values.
/// </summary>
public sealed record FabricManifest(
    string Name,
    IReadOnlyList<string> Capabilities,
    IReadOnlyList<ShardSpec> Shards,
    IReadOnlyList<NodeSpec> Nodes,
    IReadOnlyList<JobTemplateSpec> JobTemplates,
    FabricSettings Fabric,
    RouterSettings Routers,
    CheckpointSettings Checkpoint,
    ExecutionSettings Execution,
    JobSettings Jobs)
{
    public ShardSpec? FindShard(string id) => Shards.FirstOrDefault(s => s.Id == id);

    public NodeSpec? FindNode(string id) => Nodes.FirstOrDefault(n => n.Id == id);

    public JobTemplateSpec? FindTemplate(string name) => JobTemplates.FirstOrDefault(t => t.Name == name);

    public IEnumerable<NodeSpec> NodesOf(string shardId) => Nodes.Where(n => n.Shard == shardId);
}

public sealed record ShardSpec(
    string Id,
    string Label,
    IReadOnlyList<string> SpilloverTargets,
    int SpilloverThreshold,
    int MaxQueueDepth,
    bool Paused);

public sealed record NodeSpec(
    string Id,
    string Shard,
    IReadOnlyList<string> Capabilities,
    int Concurrency,
    double Reliability,
    bool Draining = false);

public sealed record JobTemplateSpec(
    string Name,
    IReadOnlyList<string> Capabilities,
    int DurationTicks,
    double Weight);

/// <summary>Fabric-wide switches.</summary>
public sealed record FabricSettings(bool Paused);

/// <summary>The routers' scheduling parameters. Durations are in ticks so a drill means the same everywhere.</summary>
public sealed record RouterSettings(
    int TickMs,
    int HeartbeatIntervalTicks,
    int HeartbeatGraceTicks,
    int SpilloverBatch,
    int HopLimit,
    int CooldownTicks,
    int MaxAttempts,
    int JobTimeoutTicks,
    int TransferTimeoutTicks,
    int DedupeRetentionTicks,
    int DrainDeadlineTicks = RouterSettings.DefaultDrainDeadlineTicks)
{
    /// <summary>A minute at the default 50 ms tick.</summary>
    public const int DefaultDrainDeadlineTicks = 1_200;
}

public sealed record CheckpointSettings(int IntervalTicks, int SnapshotsRetained);

/// <summary>
/// How long a job is remembered once it has finished: its outcome, its timeline, and its id (which stays taken: a
/// resubmission runs nothing). An unfinished job is remembered for as long as it is unfinished.
/// </summary>
public sealed record JobSettings(int RetentionHours)
{
    public const int DefaultRetentionHours = 7 * 24;

    public long RetentionSeconds => RetentionHours * 3600L;
}

/// <summary>How agents simulate work: a template's duration in ticks is multiplied by <see cref="TimeScale"/>.</summary>
public sealed record ExecutionSettings(double TimeScale);
