namespace Planetary.OwnerControl.Drills;

/// <summary>
/// A drill request from the owner. Every field is optional: the defaults are the acceptance drill
/// (10,000 jobs per shard, seed 42, uneven demand, a node outage, a router crash, an owner change).
/// </summary>
public sealed record DrillRequest(
    int? JobsPerShard = null,
    [property: System.Text.Json.Serialization.JsonConverter(typeof(DrillSeedJsonConverter))] string? Seed = null,
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

/// <summary>Why a drill did not start.</summary>
public enum DrillRefusal
{
    /// <summary>A value in the request is wrong (the problem says which).</summary>
    Invalid,

    /// <summary>Another drill is still running; one drill runs at a time.</summary>
    Busy,
}

/// <summary>The answer to a start request: the new drill, or why not.</summary>
public sealed record DrillStart(DrillProgress? Drill, DrillRefusal? Refusal, string? Problem);

/// <summary>Starts and tracks drills on the live fleet. One drill runs at a time.</summary>
public interface IDrillRunner
{
    /// <summary>Validates the request and starts the drill in the background.</summary>
    Task<DrillStart> StartAsync(DrillRequest request, string actor, CancellationToken cancellationToken);

    DrillProgress? Find(string id);

    IReadOnlyList<DrillProgress> All();
}
