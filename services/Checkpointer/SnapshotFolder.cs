using Planetary.Contracts;
using Planetary.Fabric.Hosting;
using Planetary.Fabric.Hosting.Redis;
using Planetary.Fabric.Journal;
using Planetary.Fabric.Routing;

namespace Planetary.Checkpointer;

/// <summary>
/// Checkpoints one shard: the state as of its latest snapshot (kept in memory between rounds, reloaded from Redis
/// when unsure), plus the journal records written since, folded with the core's <see cref="RouterState.Apply"/>,
/// captured, written with its journal position, and the journal trimmed below the oldest snapshot kept.
/// </summary>
public sealed partial class SnapshotFolder(
    GenesisManifest genesis,
    RouterJournal journal,
    SnapshotStore snapshots,
    TimeProvider time,
    ILogger<SnapshotFolder> logger)
{
    private readonly Dictionary<string, (RouterState State, string? Position)> _folded = new(StringComparer.Ordinal);

    /// <summary>Writes a snapshot of the shard if its journal has grown since the last one; returns what was written.</summary>
    public async Task<CheckpointWritten?> CheckpointAsync(string shardId, int retained, CancellationToken cancellationToken)
    {
        if (!_folded.TryGetValue(shardId, out var folded))
        {
            folded = await LoadAsync(shardId);
        }

        var records = 0;
        try
        {
            await foreach (var (position, entries) in journal.ReadAfterAsync(shardId, folded.Position).WithCancellation(cancellationToken))
            {
                foreach (var entry in entries)
                {
                    folded.State.Apply(entry);
                }

                folded.Position = position;
                records++;
            }
        }
        catch (InvariantViolationException e)
        {
            // The cached fold disagrees with the journal (e.g. a snapshot written elsewhere): start again from Redis.
            _folded.Remove(shardId);
            LogFoldFailed(shardId, e.Message);
            return null;
        }

        _folded[shardId] = folded;
        if (records == 0 || folded.Position is null)
        {
            return null; // nothing new since the last snapshot
        }

        var snapshot = RouterSnapshot.Capture(folded.State);
        var bytes = FabricJson.SerializeSnapshot(snapshot);
        var atMs = time.GetUtcNow().ToUnixTimeMilliseconds();
        var meta = new SnapshotMeta($"{shardId}@{folded.Position}", shardId, folded.Position, folded.State.Tick, bytes.Length, snapshot.Jobs.Count, snapshot.Tombstones.Count, atMs);
        var trimmed = await snapshots.WriteAsync(meta, bytes, retained);
        LogWritten(shardId, meta.Id, meta.Tick, bytes.Length, meta.Jobs, records, trimmed);
        return new CheckpointWritten(shardId, meta.Id, meta.Tick, meta.Position, meta.Jobs, meta.Tombstones, meta.SizeBytes, trimmed, atMs);
    }

    private async Task<(RouterState State, string? Position)> LoadAsync(string shardId)
    {
        var latest = await snapshots.LatestAsync(shardId);
        return latest is null
            ? (new RouterState(shardId, genesis.Manifest), null)
            : (FabricJson.DeserializeSnapshot(latest.Value.Bytes).Restore(genesis.Manifest), latest.Value.Meta.Position);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Checkpoint {SnapshotId} of {ShardId}: tick {Tick}, {SizeBytes} bytes, {Jobs} live jobs, {Records} journal records folded, {Trimmed} trimmed")]
    private partial void LogWritten(string shardId, string snapshotId, long tick, int sizeBytes, int jobs, int records, long trimmed);

    [LoggerMessage(Level = LogLevel.Error, Message = "Folding the journal of {ShardId} failed ({Error}); reloading from the latest snapshot next round")]
    private partial void LogFoldFailed(string shardId, string error);
}
