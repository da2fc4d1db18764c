namespace Planetary.Fabric.Runtime.Ports;

/// <summary>Metadata of one stored snapshot: the state covers every journal record up to and including <see cref="Position"/>.</summary>
public sealed record SnapshotMeta(string Id, string ShardId, JournalPosition Position, long Tick, long SizeBytes, int Jobs, int Tombstones, long AtMs);

/// <summary>A snapshot and its bytes.</summary>
public sealed record StoredSnapshot(SnapshotMeta Meta, byte[] Bytes);

/// <summary>What one snapshot write did.</summary>
public readonly record struct SnapshotWritten(long JournalRecordsTrimmed, int SnapshotsKept);

/// <summary>
/// Router snapshots. The latest is the one at the highest journal position (not the last one written), so a slow
/// checkpointer can never make an older snapshot the one restored. Writers are fenced like journal writers.
/// </summary>
public interface ISnapshotStore
{
    /// <summary>Takes the checkpointer role: a new epoch. Older checkpointers' writes fail from now on.</summary>
    ValueTask<long> ClaimAsync(CancellationToken cancellationToken);

    /// <summary>The snapshot at the highest journal position of a shard, or null.</summary>
    ValueTask<StoredSnapshot?> LatestAsync(string shardId, CancellationToken cancellationToken);

    /// <summary>The snapshots kept of a shard, highest position first.</summary>
    ValueTask<IReadOnlyList<SnapshotMeta>> ListAsync(string shardId, CancellationToken cancellationToken);

    /// <summary>
    /// In one atomic step: checks the epoch (<see cref="FencedException"/>), stores the snapshot, keeps the
    /// <paramref name="retained"/> at the highest positions, and trims the journal below the oldest one kept.
    /// </summary>
    ValueTask<SnapshotWritten> WriteAsync(long epoch, SnapshotMeta meta, byte[] bytes, int retained, CancellationToken cancellationToken);
}
