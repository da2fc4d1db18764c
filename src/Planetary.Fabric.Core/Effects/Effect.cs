namespace Planetary.Fabric.Effects;

public enum AddressKind
{
    Router,
    Node,
}

/// <summary>Where a point-to-point message goes: a shard's router or a node's agent.</summary>
public readonly record struct Address(AddressKind Kind, string Id)
{
    public static Address Router(string shardId) => new(AddressKind.Router, shardId);

    public static Address Node(string nodeId) => new(AddressKind.Node, nodeId);

    public override string ToString() => $"{Kind.ToString().ToLowerInvariant()}:{Id}";
}

/// <summary>Something a state machine wants done in the world. Adapters carry effects out only after journaling.</summary>
public abstract record Effect;

/// <summary>Send a command to one queue.</summary>
public sealed record Send(Address To, object Message) : Effect;

/// <summary>Publish an event to every subscriber.</summary>
public sealed record Publish(object Message) : Effect;
