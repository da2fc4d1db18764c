using Planetary.Fabric.Journal;
using Planetary.Fabric.Manifest;
using Planetary.Fabric.Routing;
using Planetary.Fabric.Runtime.Ports;

namespace Planetary.Fabric.Runtime.Routers;

/// <summary>A router state rebuilt from durable storage: the latest snapshot plus every journal record after it.</summary>
public sealed record RebuiltRouter(RouterState State, SnapshotMeta? Snapshot, int EntriesReplayed, int RecordsReplayed, JournalPosition? LastPosition)
{
    /// <summary>Whether there was anything to restore (a snapshot, or journal records).</summary>
    public bool HadHistory => Snapshot is not null || RecordsReplayed > 0;

    /// <summary>The commit number the rebuilt state reflects (0: none).</summary>
    public long LastSeq => LastPosition?.Seq ?? Snapshot?.Position.Seq ?? 0;
}

/// <summary>The journal is not continuous where a restore needs it: records are missing (trimmed too far, or lost).</summary>
public sealed class JournalDiscontinuityException(string message) : Exception(message);

/// <summary>
/// Rebuilds a router's state from storage: its latest snapshot (by journal position) and the journal records after
/// it, folded with the core's <see cref="RouterState.Apply"/>. The records must follow the snapshot without a gap;
/// a gap means the state cannot be rebuilt truthfully, and the rebuild refuses with a message that says where.
/// Used by a starting router, the checkpointer and the drill's final accounting alike.
/// </summary>
public static class RouterRecovery
{
    public static async ValueTask<RebuiltRouter> RebuildAsync(
        string shardId, FabricManifest genesis, IJournalStore journal, ISnapshotStore snapshots, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var latest = await snapshots.LatestAsync(shardId, cancellationToken);
            var state = latest is null
                ? new RouterState(shardId, genesis)
                : FabricJson.DeserializeSnapshot(latest.Bytes).Restore(genesis);
            try
            {
                var (entries, records, last) = await FoldAsync(
                    shardId, state, journal, latest?.Meta.Position, $"snapshot {latest?.Meta.Id ?? "(none)"}", cancellationToken);
                return new RebuiltRouter(state, latest?.Meta, entries, records, last);
            }
            catch (JournalDiscontinuityException) when (attempt < 3)
            {
                // A checkpointer may have written a newer snapshot and trimmed the journal while this read it: then start
                // from that one. If the latest snapshot is still the same, the gap is real.
                if ((await snapshots.LatestAsync(shardId, cancellationToken))?.Meta.Id == latest?.Meta.Id)
                {
                    throw;
                }
            }
        }
    }

    /// <summary>
    /// Folds the records after <paramref name="after"/> into <paramref name="state"/>, checking that each one's commit
    /// number follows the previous. Returns the entries and records folded and the last position.
    /// </summary>
    public static async ValueTask<(int Entries, int Records, JournalPosition? Last)> FoldAsync(
        string shardId, RouterState state, IJournalStore journal, JournalPosition? after, string from, CancellationToken cancellationToken)
    {
        var expected = (after?.Seq ?? 0) + 1;
        var entries = 0;
        var records = 0;
        JournalPosition? last = null;
        await foreach (var record in journal.ReadAfterAsync(shardId, after, cancellationToken).WithCancellation(cancellationToken))
        {
            if (record.Position.Seq != expected)
            {
                throw new JournalDiscontinuityException(
                    $"the journal of {shardId} is not continuous after {from}: the next record should be commit {expected}, " +
                    $"but the journal holds commit {record.Position.Seq} ({record.Position.Id}); commits {expected}..{record.Position.Seq - 1} are missing, " +
                    "so the state cannot be rebuilt. Restore the state store from a backup, or wipe the fabric's state.");
            }

            foreach (var entry in record.Entries)
            {
                state.Apply(entry);
                entries++;
            }

            records++;
            expected++;
            last = record.Position;
        }

        return (entries, records, last);
    }
}
