using System.Globalization;
using System.Text.Json;
using Planetary.Fabric.Reporting;
using Planetary.Fabric.Runtime.Ports;
using StackExchange.Redis;

namespace Planetary.Fabric.Hosting.Redis;

/// <summary>
/// Router snapshots in Redis, ordered by the commit number they cover (a sorted set), so the latest is the one at the
/// highest journal position whatever order checkpointers wrote them in. A write is one Lua script: it checks the
/// checkpointer's epoch (<c>fabric:checkpointer</c>), stores the snapshot and its metadata, drops all but the
/// <c>retained</c> highest, trims the journal below the oldest one kept (its own record stays), and records the
/// checkpoint for reports.
/// </summary>
public sealed class RedisSnapshotStore(IConnectionMultiplexer redis) : ISnapshotStore
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private static readonly LuaScript ClaimScript = LuaScript.Prepare("return redis.call('HINCRBY', @fence, 'epoch', 1)");

    // KEYS: checkpointer fence, snapshots zset, metadata hash, the new snapshot's key, journal stream.
    // ARGV: epoch, id, seq, metadata, bytes, retained, snapshot key prefix.
    private const string WriteScript = """
        local epoch = tonumber(redis.call('HGET', KEYS[1], 'epoch') or '0')
        if epoch ~= tonumber(ARGV[1]) then return { 'FENCED', tostring(epoch) } end
        redis.call('SET', KEYS[4], ARGV[5])
        redis.call('ZADD', KEYS[2], ARGV[3], ARGV[2])
        redis.call('HSET', KEYS[3], ARGV[2], ARGV[4])
        local count = redis.call('ZCARD', KEYS[2])
        local retained = tonumber(ARGV[6])
        if count > retained then
          local dropped = redis.call('ZRANGE', KEYS[2], 0, count - retained - 1)
          for _, id in ipairs(dropped) do
            redis.call('DEL', ARGV[7] .. id)
            redis.call('HDEL', KEYS[3], id)
          end
          redis.call('ZREMRANGEBYRANK', KEYS[2], 0, count - retained - 1)
          count = retained
        end
        local oldest = redis.call('ZRANGE', KEYS[2], 0, 0)[1]
        local meta = cjson.decode(redis.call('HGET', KEYS[3], oldest))
        local trimmed = redis.call('XTRIM', KEYS[5], 'MINID', meta.position.id)
        return { 'OK', tostring(trimmed), tostring(count) }
        """;

    public async ValueTask<long> ClaimAsync(CancellationToken cancellationToken) =>
        (long)(await StateStore.Call(() => redis.GetDatabase().ScriptEvaluateAsync(ClaimScript, new { fence = (RedisKey)RedisKeys.Checkpointer })));

    public async ValueTask<StoredSnapshot?> LatestAsync(string shardId, CancellationToken cancellationToken)
    {
        var db = redis.GetDatabase();
        var newest = await StateStore.Call(() => db.SortedSetRangeByRankAsync(RedisKeys.Snapshots(shardId), -1, -1));
        if (newest.Length == 0)
        {
            return null;
        }

        var id = (string)newest[0]!;
        var meta = await StateStore.Call(() => db.HashGetAsync(RedisKeys.SnapshotMetas(shardId), id));
        var bytes = (byte[]?)await StateStore.Call(() => db.StringGetAsync(RedisKeys.Snapshot(id)));
        if (meta.IsNullOrEmpty || bytes is null)
        {
            throw new InvalidOperationException($"Snapshot {id} of {shardId} is listed but its {(bytes is null ? "data" : "metadata")} is missing.");
        }

        return new StoredSnapshot(ParseMeta(meta), bytes);
    }

    public async ValueTask<IReadOnlyList<SnapshotMeta>> ListAsync(string shardId, CancellationToken cancellationToken)
    {
        var metas = await StateStore.Call(() => redis.GetDatabase().HashValuesAsync(RedisKeys.SnapshotMetas(shardId)));
        return metas.Select(ParseMeta).OrderByDescending(m => m.Position.Seq).ToArray();
    }

    public async ValueTask<SnapshotWritten> WriteAsync(long epoch, SnapshotMeta meta, byte[] bytes, int retained, CancellationToken cancellationToken)
    {
        var db = redis.GetDatabase();
        var result = (RedisResult[])(await db.ScriptEvaluateAsync(
            WriteScript,
            [RedisKeys.Checkpointer, RedisKeys.Snapshots(meta.ShardId), RedisKeys.SnapshotMetas(meta.ShardId), RedisKeys.Snapshot(meta.Id), RedisKeys.Journal(meta.ShardId)],
            [epoch, meta.Id, meta.Position.Seq, JsonSerializer.Serialize(meta, Json), bytes, Math.Max(1, retained), RedisKeys.SnapshotPrefix]))!;
        if ((string)result[0]! == "FENCED")
        {
            throw new FencedException("snapshots", epoch, long.Parse((string)result[1]!, CultureInfo.InvariantCulture));
        }

        var written = new SnapshotWritten(long.Parse((string)result[1]!, CultureInfo.InvariantCulture), int.Parse((string)result[2]!, CultureInfo.InvariantCulture));
        var record = new CheckpointRecord(meta.ShardId, meta.Id, meta.Tick, meta.Position.ToString(), meta.Jobs, meta.Tombstones, meta.SizeBytes, written.JournalRecordsTrimmed, meta.AtMs);
        await db.StreamAddAsync(RedisKeys.Checkpoints, "meta", JsonSerializer.Serialize(record, Json), maxLength: 10_000, useApproximateMaxLength: true);
        return written;
    }

    /// <summary>The most recent checkpoint records (all shards), oldest first.</summary>
    public async Task<IReadOnlyList<CheckpointRecord>> RecentCheckpointsAsync(int count = 10_000) =>
        (await redis.GetDatabase().StreamRangeAsync(RedisKeys.Checkpoints, "-", "+", count))
            .Select(e => JsonSerializer.Deserialize<CheckpointRecord>((string)e["meta"]!, Json)!).ToArray();

    private static SnapshotMeta ParseMeta(RedisValue value) => JsonSerializer.Deserialize<SnapshotMeta>((string)value!, Json)!;
}
