namespace Planetary.Fabric.Routing;

/// <summary>
/// What a router has heard from other services, as opposed to what it decided: when each node was last heard from,
/// and what each ally last reported of its load. Observations are not journaled and not in snapshots; a router that
/// restarts begins with none (every node counts as heard at the restart, every ally as not yet reported) and rebuilds
/// them from fresh reports within one heartbeat interval.
/// </summary>
public sealed class RouterObservations(long sinceTick)
{
    private readonly Dictionary<string, long> _lastSeen = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, AllyView> _allies = new(StringComparer.Ordinal);

    /// <summary>The tick observing began (the process start): a node not heard from since counts as heard then.</summary>
    public long SinceTick { get; } = sinceTick;

    /// <summary>Allies heard from or asked about, by shard id.</summary>
    public IReadOnlyDictionary<string, AllyView> Allies => _allies;

    public long LastSeen(string nodeId) => _lastSeen.TryGetValue(nodeId, out var tick) ? tick : SinceTick;

    internal void Saw(string nodeId, long tick) => _lastSeen[nodeId] = tick;

    /// <summary>The view of an ally (a fresh, not-yet-reported one the first time it is asked for).</summary>
    internal AllyView Ally(string shardId)
    {
        if (!_allies.TryGetValue(shardId, out var ally))
        {
            ally = new AllyView { ShardId = shardId };
            _allies[shardId] = ally;
        }

        return ally;
    }
}
