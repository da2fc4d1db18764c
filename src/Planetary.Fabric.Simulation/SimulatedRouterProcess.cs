using Planetary.Contracts;
using Planetary.Fabric.Journal;
using Planetary.Fabric.Manifest;
using Planetary.Fabric.Routing;

namespace Planetary.Fabric.Simulation;

/// <summary>A stored snapshot: the serialised state and the journal position it covers (entries before it are folded in).</summary>
public sealed record StoredSnapshot(string Id, long Position, long Tick, byte[] Bytes, int Jobs, int Tombstones);

/// <summary>
/// One router "process" and its durable storage. The memory (<see cref="Router"/>) dies in a crash; the journal
/// and snapshots survive, as they do in Redis. Entries are appended before effects leave, as the live adapter does.
/// </summary>
public sealed class SimulatedRouterProcess
{
    private readonly FabricManifest _genesis;
    private readonly List<JournalEntry> _journal = [];
    private int _head; // entries before _head are trimmed (compacted away once they are half the list)
    private long _journalBase; // absolute position of _journal[_head]

    public SimulatedRouterProcess(string shardId, FabricManifest genesis)
    {
        ShardId = shardId;
        _genesis = genesis;
        Router = new ShardRouter(new RouterState(shardId, genesis));
    }

    public string ShardId { get; }

    /// <summary>The live state machine, or null while the process is down.</summary>
    public ShardRouter? Router { get; private set; }

    public long DownUntilTick { get; private set; } = -1;

    public bool IsDown => Router is null;

    /// <summary>Absolute position after the last entry (the next entry's position).</summary>
    public long JournalEnd => _journalBase + _journal.Count - _head;

    public long JournalStart => _journalBase;

    public List<StoredSnapshot> Snapshots { get; } = [];

    public int Restarts { get; private set; }

    public RouterResumed? LastResume { get; private set; }

    public void Append(IReadOnlyList<JournalEntry> entries) => _journal.AddRange(entries);

    /// <summary>Entries from an absolute position to the end.</summary>
    public IEnumerable<JournalEntry> EntriesFrom(long position)
    {
        if (position < _journalBase)
        {
            throw new InvalidOperationException($"{ShardId}: journal position {position} was trimmed (journal starts at {_journalBase}).");
        }

        for (var i = _head + (int)(position - _journalBase); i < _journal.Count; i++)
        {
            yield return _journal[i];
        }
    }

    /// <summary>Drops entries below an absolute position (only ever below a snapshot that is safe to restore).</summary>
    public long TrimBelow(long position)
    {
        var count = (int)Math.Clamp(position - _journalBase, 0, _journal.Count - _head);
        _head += count;
        _journalBase += count;
        if (_head > _journal.Count / 2)
        {
            _journal.RemoveRange(0, _head);
            _head = 0;
        }

        return count;
    }

    /// <summary>What a process starting now would rebuild: the latest snapshot plus the journal after it.</summary>
    public (RouterState State, StoredSnapshot? Snapshot, int Replayed) RebuildFromStorage()
    {
        var snapshot = Snapshots.Count == 0 ? null : Snapshots[^1];
        var state = snapshot is null
            ? new RouterState(ShardId, _genesis)
            : FabricJson.DeserializeSnapshot(snapshot.Bytes).Restore(_genesis);
        var replayed = 0;
        foreach (var entry in EntriesFrom(snapshot?.Position ?? 0))
        {
            state.Apply(entry);
            replayed++;
        }

        return (state, snapshot, replayed);
    }

    /// <summary>kill -9: the memory is gone; storage and the inbound queue remain.</summary>
    public void Crash(long untilTick)
    {
        Router = null;
        DownUntilTick = untilTick;
    }

    /// <summary>Start-up: latest snapshot + journal tail → state, exactly as the live router does.</summary>
    public RouterStep Restart(long tick)
    {
        var (state, snapshot, replayed) = RebuildFromStorage();
        Router = new ShardRouter(state);
        DownUntilTick = -1;
        Restarts++;
        var step = Router.Recover(Math.Max(tick, state.Tick), snapshot?.Id, replayed);
        LastResume = new RouterResumed(
            ShardId, snapshot is not null, snapshot?.Id, snapshot?.Tick ?? 0, snapshot?.Position.ToString(System.Globalization.CultureInfo.InvariantCulture), replayed, state.Jobs.Count, tick, $"sim-{ShardId}-{Restarts}");
        return step;
    }
}
