using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Planetary.Contracts;
using Planetary.Fabric.Journal;
using Planetary.Fabric.Runtime.Ports;
using StackExchange.Redis;

namespace Planetary.Fabric.Hosting.Redis;

/// <summary>
/// The routers' write-ahead journals in Redis, fenced. A commit is one Lua script, atomic in Redis: it checks that the
/// writer's epoch is still the shard's (<c>fabric:writer:{shard}</c>) and that its commit number follows the last one,
/// then appends the journal record (a stream entry), records each final outcome in the books once (HSETNX) and pushes the
/// jobs' timeline events. Redis runs with <c>appendfsync always</c> (checked at start), so once this returns the commit
/// survives a crash of anything; with <c>Fabric:JournalReplicaAcks</c> it also waits for that many replicas.
/// </summary>
public sealed class RedisJournalStore(IConnectionMultiplexer redis, IOptions<FabricOptions> options) : IJournalStore
{
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };

    private static readonly LuaScript ClaimScript = LuaScript.Prepare("""
        local epoch = redis.call('HINCRBY', @writer, 'epoch', 1)
        local seq = redis.call('HGET', @writer, 'seq')
        return { epoch, seq or '0' }
        """);

    // KEYS: writer hash, journal stream, ledger, then one list per job with timeline events.
    // ARGV: epoch, seq, entries, outcome count n, n × (job id, outcome), timeline lifetime (s), then per list: count, events.
    private const string AppendScript = """
        local fence = redis.call('HMGET', KEYS[1], 'epoch', 'seq')
        local epoch = tonumber(fence[1] or '0')
        local last = tonumber(fence[2] or '0')
        if epoch ~= tonumber(ARGV[1]) then return { 'FENCED', tostring(epoch) } end
        if last + 1 ~= tonumber(ARGV[2]) then return { 'GAP', tostring(last) } end
        local id = redis.call('XADD', KEYS[2], '*', 'seq', ARGV[2], 'epoch', ARGV[1], 'entries', ARGV[3])
        redis.call('HSET', KEYS[1], 'seq', ARGV[2])
        local already = 0
        local a = 5
        for i = 1, tonumber(ARGV[4]) do
          if redis.call('HSETNX', KEYS[3], ARGV[a], ARGV[a + 1]) == 0 then already = already + 1 end
          a = a + 2
        end
        local lifetime = tonumber(ARGV[a])
        a = a + 1
        for k = 4, #KEYS do
          local count = tonumber(ARGV[a])
          redis.call('RPUSH', KEYS[k], unpack(ARGV, a + 1, a + count))
          redis.call('EXPIRE', KEYS[k], lifetime)
          a = a + count + 1
        end
        return { 'OK', id, tostring(already) }
        """;

    public async ValueTask<WriterClaim> ClaimAsync(string shardId, CancellationToken cancellationToken)
    {
        var result = await StateStore.Call(() => redis.GetDatabase().ScriptEvaluateAsync(ClaimScript, new { writer = (RedisKey)RedisKeys.Writer(shardId) }));
        var values = (RedisResult[])result!;
        return new WriterClaim((long)values[0], long.Parse((string)values[1]!, CultureInfo.InvariantCulture));
    }

    public async ValueTask<long> CurrentEpochAsync(string shardId, CancellationToken cancellationToken)
    {
        var epoch = await StateStore.Call(() => redis.GetDatabase().HashGetAsync(RedisKeys.Writer(shardId), "epoch"));
        return epoch.IsNull ? 0 : (long)epoch;
    }

    public async ValueTask<JournalAppended> AppendAsync(JournalCommit commit, CancellationToken cancellationToken)
    {
        var keys = new List<RedisKey> { RedisKeys.Writer(commit.ShardId), RedisKeys.Journal(commit.ShardId), RedisKeys.Ledger };
        var args = new List<RedisValue>
        {
            commit.Epoch,
            commit.Seq,
            FabricJson.SerializeEntries(commit.Entries),
            commit.Outcomes.Count,
        };
        foreach (var outcome in commit.Outcomes)
        {
            args.Add(outcome.JobId);
            args.Add(JsonSerializer.Serialize(outcome, Json));
        }

        args.Add((long)RedisKeys.JobTimelineLifetime.TotalSeconds);
        foreach (var job in commit.TimelineEvents().GroupBy(e => e.JobId))
        {
            keys.Add(RedisKeys.JobTimeline(job.Key));
            var events = job.ToArray();
            args.Add(events.Length);
            foreach (var e in events)
            {
                args.Add(JsonSerializer.Serialize(new JobEventRecord(e.Tick, e.AtMs, e.JobId, e.Kind, e.Shard, e.Node, e.Attempt, e.Detail), Json));
            }
        }

        var db = redis.GetDatabase();
        var result = (RedisResult[])(await db.ScriptEvaluateAsync(AppendScript, keys.ToArray(), args.ToArray()))!;
        switch ((string)result[0]!)
        {
            case "FENCED":
                throw new FencedException($"journal of {commit.ShardId}", commit.Epoch, long.Parse((string)result[1]!, CultureInfo.InvariantCulture));
            case "GAP":
                throw new JournalGapException(commit.ShardId, commit.Seq, long.Parse((string)result[1]!, CultureInfo.InvariantCulture));
        }

        var replicas = options.Value.JournalReplicaAcks;
        if (replicas > 0)
        {
            var acknowledged = (long)await db.ExecuteAsync("WAIT", replicas, 1_000);
            if (acknowledged < replicas)
            {
                throw new InvalidOperationException($"Only {acknowledged} of {replicas} Redis replicas acknowledged the journal commit {commit.Seq} of {commit.ShardId}.");
            }
        }

        return new JournalAppended(new JournalPosition(commit.Seq, (string)result[1]!), int.Parse((string)result[2]!, CultureInfo.InvariantCulture));
    }

    public async IAsyncEnumerable<JournalRecord> ReadAfterAsync(string shardId, JournalPosition? after, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        const int pageSize = 500;
        var db = redis.GetDatabase();
        var from = after is null ? "-" : $"({after.Value.Id}";
        while (true)
        {
            var position = from;
            var page = await StateStore.Call(() => db.StreamRangeAsync(RedisKeys.Journal(shardId), position, "+", pageSize));
            foreach (var record in page)
            {
                yield return Parse(record);
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

    private static JournalRecord Parse(StreamEntry record) => new(
        new JournalPosition(long.Parse((string)record["seq"]!, CultureInfo.InvariantCulture), (string)record.Id!),
        long.Parse((string)record["epoch"]!, CultureInfo.InvariantCulture),
        FabricJson.DeserializeEntries((string)record["entries"]!));
}

/// <summary>Turns "Redis is not answering" into the one exception the shells, the drill and the API wait on.</summary>
public static class StateStore
{
    public static async Task<T> Call<T>(Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (Exception e) when (IsUnavailable(e))
        {
            throw new StateStoreUnavailableException($"the state store (Redis) is not answering: {e.Message}", e);
        }
    }

    /// <summary>Whether an exception means Redis is away (not a defect): connection lost, timed out, or still loading its data.</summary>
    public static bool IsUnavailable(Exception e) =>
        e is RedisConnectionException or RedisTimeoutException or TimeoutException
        || (e is RedisServerException server && (server.Message.StartsWith("LOADING", StringComparison.Ordinal) || server.Message.StartsWith("READONLY", StringComparison.Ordinal)));
}
