using Planetary.Fabric.Journal;
using Planetary.Fabric.Manifest;
using Planetary.Fabric.Reporting;
using Planetary.Fabric.Routing;

namespace Planetary.Fabric.Simulation;

/// <summary>
/// The checkpointer in virtual time: folds each router's new journal entries into its snapshot with the core's
/// own <see cref="RouterState.Apply"/>, keeps the configured number of snapshots and trims the journal below the
/// oldest one kept. It never reads a router's memory, only its journal, as the live Checkpointer reads Redis.
/// </summary>
public sealed class SimulatedCheckpointer(FabricManifest genesis)
{
    private readonly Dictionary<string, (RouterState State, long Position)> _folded = new(StringComparer.Ordinal);

    public List<CheckpointRecord> Records { get; } = [];

    public void Checkpoint(SimulatedRouterProcess process, int snapshotsRetained)
    {
        if (!_folded.TryGetValue(process.ShardId, out var folded))
        {
            folded = (new RouterState(process.ShardId, genesis), 0);
        }

        if (folded.Position == process.JournalEnd && process.Snapshots.Count > 0)
        {
            return; // nothing new since the last snapshot
        }

        foreach (var entry in process.EntriesFrom(folded.Position))
        {
            folded.State.Apply(entry);
        }

        folded.Position = process.JournalEnd;
        _folded[process.ShardId] = folded;

        var snapshot = RouterSnapshot.Capture(folded.State);
        var bytes = FabricJson.SerializeSnapshot(snapshot);
        var id = $"{process.ShardId}@{folded.Position}";
        process.Snapshots.Add(new StoredSnapshot(id, folded.Position, folded.State.Tick, bytes, snapshot.Jobs.Count, snapshot.Tombstones.Count));
        while (process.Snapshots.Count > snapshotsRetained)
        {
            process.Snapshots.RemoveAt(0);
        }

        var trimmed = process.TrimBelow(process.Snapshots[0].Position);
        Records.Add(new CheckpointRecord(
            process.ShardId, id, folded.State.Tick, folded.Position.ToString(System.Globalization.CultureInfo.InvariantCulture),
            snapshot.Jobs.Count, snapshot.Tombstones.Count, bytes.Length, trimmed));
    }
}
