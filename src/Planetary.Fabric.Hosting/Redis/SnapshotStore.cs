using System.Text.Json;
using StackExchange.Redis;

namespace Planetary.Fabric.Hosting.Redis;

/// <summary>Metadata of one stored snapshot: the state covers every journal record up to and including <see cref="Position"/>.</summary>
public sealed record SnapshotMeta(string Id, string ShardId, string Position, long Tick, long SizeBytes, int Jobs, int Tombstones, long AtMs);

/// <summary>
/// Router snapshots in Redis. A snapshot and its metadata are written in one transaction; the journal is trimmed
/// only below the oldest snapshot kept, and only after the new snapshot has been read back intact.
/// </summary>
public sealed class SnapshotStore(IConnectionMultiplexer redis)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task<(SnapshotMeta Meta, byte[] Bytes)?> LatestAsync(string shardId)
    {
        var db = redis.GetDatabase();
        var newest = await db.ListGetByIndexAsync(RedisKeys.Snapshots(shardId), 0);
        if (newest.IsNullOrEmpty)
        {
            return null;
        }

        var meta = JsonSerializer.Deserialize<SnapshotMeta>((string)newest!, Json)!;
        var bytes = (byte[]?)await db.StringGetAsync(RedisKeys.Snapshot(meta.Id))
            ?? throw new InvalidOperationException($"Snapshot {meta.Id} is listed but its data is missing.");
        return (meta, bytes);
    }

    public async Task<IReadOnlyList<SnapshotMeta>> ListAsync(string shardId) =>
        (await redis.GetDatabase().ListRangeAsync(RedisKeys.Snapshots(shardId)))
            .Select(v => JsonSerializer.Deserialize<SnapshotMeta>((string)v!, Json)!).ToArray();

    /// <summary>Stores a snapshot, keeps the newest <paramref name="retained"/>, and trims the journal below the oldest kept. Returns journal records trimmed.</summary>
    public async Task<long> WriteAsync(SnapshotMeta meta, byte[] bytes, int retained)
    {
        var db = redis.GetDatabase();
        var tx = db.CreateTransaction();
        _ = tx.StringSetAsync(RedisKeys.Snapshot(meta.Id), bytes);
        _ = tx.ListLeftPushAsync(RedisKeys.Snapshots(meta.ShardId), JsonSerializer.Serialize(meta, Json));
        _ = tx.StreamAddAsync(RedisKeys.Checkpoints, "meta", JsonSerializer.Serialize(meta, Json), maxLength: 10_000, useApproximateMaxLength: true);
        if (!await tx.ExecuteAsync())
        {
            throw new InvalidOperationException($"Snapshot {meta.Id} did not commit.");
        }

        var stored = (byte[]?)await db.StringGetAsync(RedisKeys.Snapshot(meta.Id));
        if (stored is null || !stored.AsSpan().SequenceEqual(bytes))
        {
            throw new InvalidOperationException($"Snapshot {meta.Id} did not read back intact; the journal is not trimmed.");
        }

        var all = await ListAsync(meta.ShardId);
        var kept = all.Take(Math.Max(1, retained)).ToArray();
        foreach (var dropped in all.Skip(kept.Length))
        {
            await db.KeyDeleteAsync(RedisKeys.Snapshot(dropped.Id));
        }

        await db.ListTrimAsync(RedisKeys.Snapshots(meta.ShardId), 0, kept.Length - 1);

        // Every record up to the oldest kept snapshot's position is folded into every kept snapshot.
        return await db.StreamTrimByMinIdAsync(RedisKeys.Journal(meta.ShardId), kept[^1].Position);
    }

    /// <summary>The most recent checkpoint records (all shards), oldest first.</summary>
    public async Task<IReadOnlyList<SnapshotMeta>> RecentCheckpointsAsync(int count = 10_000) =>
        (await redis.GetDatabase().StreamRangeAsync(RedisKeys.Checkpoints, "-", "+", count))
            .Select(e => JsonSerializer.Deserialize<SnapshotMeta>((string)e["meta"]!, Json)!).ToArray();
}
