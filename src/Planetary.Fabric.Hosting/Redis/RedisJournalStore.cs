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
/// The routers' write-ahead journals in Redis, fenced, and the job-id registry. A commit is one Lua script, atomic in
/// Redis: it checks that the writer's epoch is still the shard's (<c>fabric:writer:{shard}</c>), that its commit number
/// follows the last one, and that no id it takes from a submission names another shard's job; then it appends the
/// journal record (a stream entry), takes the ids, records each final outcome in the books once (SET NX, kept for the
/// retention) and pushes the jobs' timeline events (kept while the job is unfinished, then for the retention). Redis runs with <c>appendfsync always</c> (checked at start), so once this returns the commit
/// survives a crash of anything; with <c>Fabric:JournalReplicaAcks</c> it also waits for that many replicas.
/// </summary>
public sealed class RedisJournalStore(IConnectionMultiplexer redis, IOptions<FabricOptions> options) : IJournalStore, IJobRegistry
{
    private readonly Books _books = new(redis);

    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };

    private static readonly LuaScript ClaimScript = LuaScript.Prepare("""
        local epoch = redis.call('HINCRBY', @writer, 'epoch', 1)
        local seq = redis.call('HGET', @writer, 'seq')
        return { epoch, seq or '0' }
        """);

    private const string AppendScript = """
        -- KEYS: writer, journal, then n1 job-id keys (new submissions), n2 outcome keys, the n2 job-id keys of those
        -- outcomes, n3 timeline keys, n6 outcome keys of requeued jobs, their n6 job-id keys, n4 job-index keys.
        -- ARGV: epoch, seq, entries ('' = none), shard, retention (s), n1, n2, n3, n2 outcomes, then per timeline key:
        -- ends ('1': the job finished or was refused, keep it for the retention; '0': unfinished, keep it), count, events;
        -- then n6, n4, per index key whether it holds a final status ('1') or a live one ('0'), the number of indexed
        -- jobs, the retention's oldest order kept, and per job: id, order, the index key it joins (0: none), the number of
        -- index keys it leaves and their numbers (1-based among the n4).
        local fence = redis.call('HMGET', KEYS[1], 'epoch', 'seq')
        local epoch = tonumber(fence[1] or '0')
        local last = tonumber(fence[2] or '0')
        if epoch ~= tonumber(ARGV[1]) then return { 'FENCED', tostring(epoch) } end
        local journaled = ARGV[3] ~= ''
        if journaled and last + 1 ~= tonumber(ARGV[2]) then return { 'GAP', tostring(last) } end
        local shard = ARGV[4]
        local retention = tonumber(ARGV[5])
        local n1, n2, n3 = tonumber(ARGV[6]), tonumber(ARGV[7]), tonumber(ARGV[8])
        for k = 3, 2 + n1 do
          local owner = redis.call('GET', KEYS[k])
          if owner and owner ~= shard then return { 'TAKEN', KEYS[k], owner } end
        end
        local id = ''
        if journaled then
          id = redis.call('XADD', KEYS[2], '*', 'seq', ARGV[2], 'epoch', ARGV[1], 'entries', ARGV[3])
          redis.call('HSET', KEYS[1], 'seq', ARGV[2])
        end
        for k = 3, 2 + n1 do
          redis.call('SET', KEYS[k], shard)
        end
        local already = 0
        local a = 9
        local outcomes = 2 + n1
        for i = 1, n2 do
          if not redis.call('SET', KEYS[outcomes + i], ARGV[a], 'NX', 'EX', retention) then already = already + 1 end
          redis.call('EXPIRE', KEYS[outcomes + n2 + i], retention)
          a = a + 1
        end
        local timelines = outcomes + 2 * n2
        for i = 1, n3 do
          local key = KEYS[timelines + i]
          local count = tonumber(ARGV[a + 1])
          redis.call('RPUSH', key, unpack(ARGV, a + 2, a + 1 + count))
          if ARGV[a] == '1' then redis.call('EXPIRE', key, retention) else redis.call('PERSIST', key) end
          a = a + 2 + count
        end
        local n6, n4 = tonumber(ARGV[a]), tonumber(ARGV[a + 1])
        a = a + 2
        local requeued = timelines + n3
        for i = 1, n6 do
          redis.call('DEL', KEYS[requeued + i])
          redis.call('PERSIST', KEYS[requeued + n6 + i])
        end
        local index = requeued + 2 * n6
        local final = {}
        for i = 1, n4 do final[i] = ARGV[a + i - 1] == '1' end
        a = a + n4
        local jobs, oldest = tonumber(ARGV[a]), ARGV[a + 1]
        a = a + 2
        local joined = {}
        for j = 1, jobs do
          local job, order, into, leaves = ARGV[a], ARGV[a + 1], tonumber(ARGV[a + 2]), tonumber(ARGV[a + 3])
          for r = 1, leaves do redis.call('ZREM', KEYS[index + tonumber(ARGV[a + 3 + r])], job) end
          if into > 0 then
            redis.call('ZADD', KEYS[index + into], order, job)
            joined[into] = true
          end
          a = a + 4 + leaves
        end
        for k, _ in pairs(joined) do
          if final[k] then
            redis.call('ZREMRANGEBYSCORE', KEYS[index + k], '-inf', '(' .. oldest)
            redis.call('EXPIRE', KEYS[index + k], retention)
          end
        end
        return { 'OK', id, tostring(already), tostring(last) }
        """;

    // KEYS: per id, its job-id key then its outcome key. Returns per id: the shard it was submitted to (or false), its outcome (or false).
    private const string LookupScript = """
        local found = {}
        for i = 1, #KEYS, 2 do
          found[#found + 1] = redis.call('GET', KEYS[i])
          found[#found + 1] = redis.call('GET', KEYS[i + 1])
        end
        return found
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
        var submitted = commit.SubmittedJobIds.Distinct(StringComparer.Ordinal).ToArray();
        var timelines = commit.TimelineEvents().GroupBy(e => e.JobId).ToArray();
        var keys = new List<RedisKey>(2 + submitted.Length + 2 * commit.Outcomes.Count + timelines.Length)
        {
            RedisKeys.Writer(commit.ShardId),
            RedisKeys.Journal(commit.ShardId),
        };
        keys.AddRange(submitted.Select(id => (RedisKey)RedisKeys.JobId(id)));
        keys.AddRange(commit.Outcomes.Select(o => (RedisKey)RedisKeys.Outcome(o.JobId)));
        keys.AddRange(commit.Outcomes.Select(o => (RedisKey)RedisKeys.JobId(o.JobId)));
        keys.AddRange(timelines.Select(t => (RedisKey)RedisKeys.JobTimeline(t.Key)));
        var args = new List<RedisValue>
        {
            commit.Epoch,
            commit.Seq,
            commit.Entries.Count == 0 ? string.Empty : FabricJson.SerializeEntries(commit.Entries),
            commit.ShardId,
            commit.RetentionSeconds,
            submitted.Length,
            commit.Outcomes.Count,
            timelines.Length,
        };
        args.AddRange(commit.Outcomes.Select(o => (RedisValue)JsonSerializer.Serialize(o, Json)));
        foreach (var job in timelines)
        {
            var events = job.ToArray();
            args.Add(commit.EndsTimelineOf(job.Key) ? "1" : "0");
            args.Add(events.Length);
            args.AddRange(events.Select(e => (RedisValue)JsonSerializer.Serialize(new JobEventRecord(e.Tick, e.AtMs, e.JobId, e.Kind, e.Shard, e.Node, e.Attempt, e.Detail), Json)));
        }

        var requeued = commit.RequeuedJobIds.Distinct(StringComparer.Ordinal).ToArray();
        keys.AddRange(requeued.Select(id => (RedisKey)RedisKeys.Outcome(id)));
        keys.AddRange(requeued.Select(id => (RedisKey)RedisKeys.JobId(id)));
        args.Add(requeued.Length);
        JobIndexArguments.Add(commit, keys, args);

        var db = redis.GetDatabase();
        var result = (RedisResult[])(await db.ScriptEvaluateAsync(AppendScript, keys.ToArray(), args.ToArray()))!;
        switch ((string)result[0]!)
        {
            case "FENCED":
                throw new FencedException($"journal of {commit.ShardId}", commit.Epoch, long.Parse((string)result[1]!, CultureInfo.InvariantCulture));
            case "GAP":
                throw new JournalGapException(commit.ShardId, commit.Seq, long.Parse((string)result[1]!, CultureInfo.InvariantCulture));
            case "TAKEN":
                throw new JobIdTakenException(((string)result[1]!)[RedisKeys.JobIdPrefix.Length..], (string)result[2]!);
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

        var position = commit.Entries.Count == 0
            ? new JournalPosition(long.Parse((string)result[3]!, CultureInfo.InvariantCulture), string.Empty)
            : new JournalPosition(commit.Seq, (string)result[1]!);
        return new JournalAppended(position, int.Parse((string)result[2]!, CultureInfo.InvariantCulture));
    }

    public async ValueTask<IReadOnlyDictionary<string, KnownJob>> LookupAsync(IReadOnlyCollection<string> jobIds, CancellationToken cancellationToken)
    {
        var ids = jobIds.ToArray();
        var keys = ids.SelectMany(id => new RedisKey[] { RedisKeys.JobId(id), RedisKeys.Outcome(id) }).ToArray();
        var found = (RedisResult[])(await StateStore.Call(() => redis.GetDatabase().ScriptEvaluateAsync(LookupScript, keys)))!;
        var known = new Dictionary<string, KnownJob>(StringComparer.Ordinal);
        for (var i = 0; i < ids.Length; i++)
        {
            var owner = found[2 * i];
            if (owner.IsNull)
            {
                continue;
            }

            var outcome = found[(2 * i) + 1];
            known[ids[i]] = new KnownJob(ids[i], (string)owner!, outcome.IsNull ? null : ParseOutcome((string)outcome!)?.Kind);
        }

        return known;
    }

    public async ValueTask<IReadOnlyDictionary<string, JobOutcome>> OutcomesAsync(IReadOnlyCollection<string> jobIds, CancellationToken cancellationToken) =>
        await StateStore.Call(() => _books.OutcomesAsync(jobIds));

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
