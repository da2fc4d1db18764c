using Planetary.Fabric.Reporting;

namespace Planetary.Fabric.Hosting.Redis;

/// <summary>One job event as kept in Redis: the core's timeline event plus the wall-clock time it was journaled.</summary>
public sealed record JobEventRecord(long Tick, long AtMs, string Job, JobEventKind Event, string Shard, string? Node, int Attempt, string? Detail);
