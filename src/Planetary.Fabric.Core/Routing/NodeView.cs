using Planetary.Contracts;

namespace Planetary.Fabric.Routing;

/// <summary>A router's view of one node of its shard (state: changed only by <see cref="RouterState.Apply"/>).</summary>
public sealed class NodeView
{
    public required string Id { get; init; }

    public ulong Mask { get; internal set; }

    public int Slots { get; internal set; }

    public bool Online { get; internal set; }

    /// <summary>Registered by the node itself (not only declared in the manifest).</summary>
    public bool Registered { get; internal set; }

    /// <summary>Whether the owner drains (or drained) this node.</summary>
    public NodeDrainState Drain { get; internal set; }

    /// <summary>While draining: the tick at which what still runs is withdrawn.</summary>
    public long DrainDeadlineTick { get; internal set; }

    /// <summary>Takes new work: online and not drained.</summary>
    public bool Assignable => Online && Drain == NodeDrainState.None;

    /// <summary>Ids of the jobs this router has running on the node.</summary>
    public IReadOnlySet<string> Running => RunningSet;

    internal SortedSet<string> RunningSet { get; } = new(StringComparer.Ordinal);

    public int FreeSlots => Math.Max(0, Slots - RunningSet.Count);
}
