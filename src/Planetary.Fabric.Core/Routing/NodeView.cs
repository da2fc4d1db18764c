namespace Planetary.Fabric.Routing;

/// <summary>A router's view of one node of its shard.</summary>
public sealed class NodeView
{
    public required string Id { get; init; }

    public ulong Mask { get; set; }

    public int Slots { get; set; }

    public bool Online { get; set; }

    /// <summary>Registered by the node itself (not only declared in the manifest).</summary>
    public bool Registered { get; set; }

    /// <summary>When the node was last heard from: an observation, updated by every heartbeat without a journal entry.</summary>
    public long LastSeenTick { get; set; }

    /// <summary>Ids of the jobs this router has running on the node.</summary>
    public SortedSet<string> Running { get; } = new(StringComparer.Ordinal);

    public int FreeSlots => Math.Max(0, Slots - Running.Count);
}
