using System.Text.Json;
using Planetary.Contracts;
using Planetary.Fabric.Journal;
using Planetary.Fabric.Reporting;
using Planetary.Fabric.Routing;
using StackExchange.Redis;

namespace Planetary.Fabric.Hosting.Redis;

/// <summary>One job event as kept in Redis: the core's timeline event plus the wall-clock time it was journaled.</summary>
public sealed record JobEventRecord(long Tick, long AtMs, string Job, string Event, string Shard, string? Node, int Attempt, string? Detail);

/// <summary>
/// A router's write-ahead journal in Redis. One step = one MULTI/EXEC: the journal record (a stream entry holding
/// the step's entries), the books (HSETNX of each final outcome, so a job is recorded once) and the jobs' timelines.
/// Redis runs with appendfsync always, so once this returns the step survives a crash of anything.
/// </summary>
public sealed class RouterJournal(IConnectionMultiplexer redis, TimeProvider time, Microsoft.Extensions.Options.IOptions<FabricOptions> options)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>Outcomes the books already had (never expected: each would be a job finished twice).</summary>
    public long DuplicateOutcomes { get; private set; }

    /// <summary>Makes the step durable; returns the journal position, or null when the step changed nothing.</summary>
    public async Task<string?> AppendAsync(string shardId, RouterStep step)
    {
        if (step.Entries.Count == 0)
        {
            return null;
        }

        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var tx = redis.GetDatabase().CreateTransaction();
        var add = tx.StreamAddAsync(RedisKeys.Journal(shardId), "entries", FabricJson.SerializeEntries(step.Entries));
        var books = step.Outcomes
            .Select(o => tx.HashSetAsync(RedisKeys.Ledger, o.JobId, JsonSerializer.Serialize(o with { FinishedAtMs = now }, Json), When.NotExists))
            .ToArray();

        var timeline = new List<TimelineEvent>();
        foreach (var entry in step.Entries)
        {
            JournalTimeline.Append(shardId, entry, timeline);
        }

        foreach (var job in timeline.GroupBy(e => e.JobId))
        {
            var key = RedisKeys.JobTimeline(job.Key);
            _ = tx.ListRightPushAsync(key, job.Select(e => (RedisValue)JsonSerializer.Serialize(
                new JobEventRecord(e.Tick, now, e.JobId, e.Kind, e.Shard, e.Node, e.Attempt, e.Detail), Json)).ToArray());
            _ = tx.KeyExpireAsync(key, RedisKeys.JobTimelineLifetime);
        }

        if (!await tx.ExecuteAsync())
        {
            throw new InvalidOperationException($"The journal transaction of {shardId} did not commit.");
        }

        var replicas = options.Value.JournalReplicaAcks;
        if (replicas > 0)
        {
            var acknowledged = (long)await redis.GetDatabase().ExecuteAsync("WAIT", replicas, 1_000);
            if (acknowledged < replicas)
            {
                throw new InvalidOperationException($"Only {acknowledged} of {replicas} Redis replicas acknowledged the journal commit of {shardId}.");
            }
        }

        foreach (var written in books)
        {
            if (!await written)
            {
                DuplicateOutcomes++;
            }
        }

        return (string?)await add;
    }

    /// <summary>The journal records after a position (exclusive; null = from the start), oldest first.</summary>
    public async IAsyncEnumerable<(string Position, JournalEntry[] Entries)> ReadAfterAsync(string shardId, string? position, int pageSize = 500)
    {
        var db = redis.GetDatabase();
        var from = position is null ? "-" : $"({position}";
        while (true)
        {
            var page = await db.StreamRangeAsync(RedisKeys.Journal(shardId), from, "+", pageSize);
            foreach (var record in page)
            {
                yield return (record.Id!, FabricJson.DeserializeEntries(record["entries"]!));
            }

            if (page.Length < pageSize)
            {
                yield break;
            }

            from = $"({page[^1].Id}";
        }
    }

    /// <summary>Number of records in a shard's journal (for status and tests).</summary>
    public Task<long> LengthAsync(string shardId) => redis.GetDatabase().StreamLengthAsync(RedisKeys.Journal(shardId));

    public static JobOutcome? ParseOutcome(RedisValue value) =>
        value.IsNullOrEmpty ? null : JsonSerializer.Deserialize<JobOutcome>((string)value!, Json);

    public static JobEventRecord ParseEvent(RedisValue value) =>
        JsonSerializer.Deserialize<JobEventRecord>((string)value!, Json)!;
}
