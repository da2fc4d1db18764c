namespace Planetary.Fabric.Hosting.Redis;

/// <summary>Every key the fabric keeps in Redis, in one place. All keys share the <c>fabric:</c> prefix.</summary>
public static class RedisKeys
{
    /// <summary>Stream: one record per router step, field <c>entries</c> = JSON array of journal entries (write-ahead).</summary>
    public static string Journal(string shardId) => $"fabric:journal:{shardId}";

    /// <summary>List (newest first): metadata of the snapshots kept for a shard.</summary>
    public static string Snapshots(string shardId) => $"fabric:snapshots:{shardId}";

    /// <summary>String: one snapshot's JSON.</summary>
    public static string Snapshot(string snapshotId) => $"fabric:snapshot:{snapshotId}";

    /// <summary>List (newest first): what each start of a router process restored.</summary>
    public static string Resumes(string shardId) => $"fabric:resumes:{shardId}";

    /// <summary>Hash: job id → final outcome (JSON). The books: a job is written once (HSETNX).</summary>
    public const string Ledger = "fabric:ledger";

    /// <summary>List: one job's timeline events (JSON), kept for a day.</summary>
    public static string JobTimeline(string jobId) => $"fabric:job:{jobId}";

    /// <summary>Hash: the owner's current parameters (<c>version</c>, <c>values</c> JSON, <c>changedAtMs</c>).</summary>
    public const string Parameters = "fabric:parameters";

    /// <summary>Stream: the owner's audit log (actor, path, before, after, version, time).</summary>
    public const string OwnerLog = "fabric:owner-log";

    /// <summary>Stream: metadata of every checkpoint written (for reports).</summary>
    public const string Checkpoints = "fabric:checkpoints";

    /// <summary>String: the config hash of the manifest this state belongs to.</summary>
    public const string Genesis = "fabric:genesis";

    public static readonly TimeSpan JobTimelineLifetime = TimeSpan.FromDays(1);
}
