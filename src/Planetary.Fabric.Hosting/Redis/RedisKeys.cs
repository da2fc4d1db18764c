using Planetary.Fabric.Reporting;

namespace Planetary.Fabric.Hosting.Redis;

/// <summary>Every key the fabric keeps in Redis, in one place. All keys share the <c>fabric:</c> prefix.</summary>
public static class RedisKeys
{
    /// <summary>Stream: one record per router commit, fields <c>seq</c> (commit number, no gaps), <c>epoch</c> (the writer) and <c>entries</c> (JSON array of journal entries).</summary>
    public static string Journal(string shardId) => $"fabric:journal:{shardId}";

    /// <summary>Hash: the shard's single-writer fence: <c>epoch</c> (raised by every router start) and <c>seq</c> (the last commit).</summary>
    public static string Writer(string shardId) => $"fabric:writer:{shardId}";

    /// <summary>Sorted set: the snapshots kept for a shard, scored by the commit number they cover (the highest is the latest).</summary>
    public static string Snapshots(string shardId) => $"fabric:snapshots:{shardId}";

    /// <summary>Hash: snapshot id → its metadata (JSON), for the snapshots kept for a shard.</summary>
    public static string SnapshotMetas(string shardId) => $"fabric:snapshot-meta:{shardId}";

    /// <summary>Prefix of <see cref="Snapshot"/>.</summary>
    public const string SnapshotPrefix = "fabric:snapshot:";

    /// <summary>String: one snapshot's JSON.</summary>
    public static string Snapshot(string snapshotId) => SnapshotPrefix + snapshotId;

    /// <summary>Hash: the checkpointer's single-writer fence (<c>epoch</c>).</summary>
    public const string Checkpointer = "fabric:checkpointer";

    /// <summary>Prefix of <see cref="Outcome"/>.</summary>
    public const string OutcomePrefix = "fabric:outcome:";

    /// <summary>String: a job's final outcome (JSON). The books: written once (SET NX), kept for <c>jobs.retentionHours</c>.</summary>
    public static string Outcome(string jobId) => OutcomePrefix + jobId;

    /// <summary>Prefix of <see cref="JobId"/>.</summary>
    public const string JobIdPrefix = "fabric:jobid:";

    /// <summary>String: the shard a job id was submitted to. Kept while the job is unfinished, then for <c>jobs.retentionHours</c>.</summary>
    public static string JobId(string jobId) => JobIdPrefix + jobId;

    /// <summary>List: one job's timeline events (JSON), kept while the job is unfinished, then for <c>jobs.retentionHours</c>.</summary>
    public static string JobTimeline(string jobId) => $"fabric:job:{jobId}";

    /// <summary>
    /// Sorted set: the job index of one shard, status and template (what <c>GET /api/jobs</c> pages through), member the
    /// job id, score its order (milliseconds × 1000 + its place in the commit it reached this status in). A job is in one
    /// set at a time; each commit moves the jobs it touched. The sets of final statuses keep only the retention
    /// (<c>jobs.retentionHours</c>): older members are trimmed, and a set untouched for that long expires.
    /// </summary>
    public static string JobIndex(string shardId, JobStatus status, string template) => $"fabric:jobs:{shardId}:{JobStatusNames.Of(status)}:{template}";

    /// <summary>Hash: the owner's current parameters (<c>version</c>, <c>values</c> JSON, <c>changedAtMs</c>).</summary>
    public const string Parameters = "fabric:parameters";

    /// <summary>Stream: the owner's audit log (actor, path, before, after, version, time).</summary>
    public const string OwnerLog = "fabric:owner-log";

    /// <summary>Stream: metadata of every checkpoint written (for reports).</summary>
    public const string Checkpoints = "fabric:checkpoints";

    /// <summary>String: the config hash of the manifest this state belongs to.</summary>
    public const string Genesis = "fabric:genesis";

    /// <summary>String: the layout version of the state in Redis (see <see cref="GenesisManifest"/>).</summary>
    public const string Format = "fabric:format";
}
