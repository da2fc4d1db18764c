namespace Planetary.OwnerControl.Drills;

/// <summary>
/// A drill request from the owner. Every field is optional: the defaults are the acceptance drill
/// (10,000 jobs per shard, seed 42, uneven demand, a node outage, a router crash, an owner change).
/// </summary>
public sealed record DrillRequest(
    int? JobsPerShard = null,
    ulong? Seed = null,
    string? Demand = null,
    DrillFaultRequest? Faults = null);

/// <summary>Which faults a drill injects (all on by default).</summary>
public sealed record DrillFaultRequest(
    bool NodeOutage = true,
    string? OutageNode = null,
    bool RouterCrash = true,
    string? CrashShard = null,
    bool OwnerChange = true);

public enum DrillState
{
    Running,
    Settling,
    Completed,
    Failed,
}

/// <summary>Progress of one drill (what <c>GET /api/drills/{id}</c> returns).</summary>
public sealed record DrillProgress(
    string Id,
    DrillState State,
    string Actor,
    long StartedAtMs,
    long? FinishedAtMs,
    int JobsPerShard,
    ulong Seed,
    long Submitted,
    long Accepted,
    long Finished,
    IReadOnlyDictionary<string, ShardProgress> Shards,
    IReadOnlyList<string> Events,
    string? ReportDirectory,
    Fabric.Reporting.DrillSummary? Summary,
    IReadOnlyList<string> AcceptanceFailures,
    string? Error);

public sealed record ShardProgress(long Submitted, long Accepted, long Finished, int Queued);

/// <summary>Starts and tracks drills on the live fleet. One drill runs at a time.</summary>
public interface IDrillRunner
{
    /// <summary>Validates the request; returns the new drill, or a problem (bad values, a drill already running).</summary>
    (DrillProgress? Drill, string? Problem) Start(DrillRequest request, string actor);

    DrillProgress? Find(string id);

    IReadOnlyList<DrillProgress> All();
}
