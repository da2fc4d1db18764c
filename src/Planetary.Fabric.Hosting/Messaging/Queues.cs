using Planetary.Fabric.Effects;

namespace Planetary.Fabric.Hosting.Messaging;

/// <summary>The RabbitMQ queue of every service. Durable; a message that keeps failing moves to <c>{queue}_error</c>.</summary>
public static class Queues
{
    public const string OwnerControl = "owner-control";
    public const string Checkpointer = "checkpointer";

    public static string Router(string shardId) => $"router-{shardId}";

    public static string Node(string nodeId) => $"node-{nodeId.ToLowerInvariant()}";

    public static string For(Address address) => address.Kind == AddressKind.Router ? Router(address.Id) : Node(address.Id);

    /// <summary>The queue where MassTransit moves messages that failed every retry.</summary>
    public static string ErrorQueueOf(string queue) => $"{queue}_error";
}
