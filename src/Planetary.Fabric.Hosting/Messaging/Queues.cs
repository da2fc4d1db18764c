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

    /// <summary>
    /// Whether a queue has a single active consumer: a router's queue does, so a second router process of the same shard
    /// (a warm standby, or one started by mistake) receives nothing while the first one lives.
    /// </summary>
    public static bool IsSingleActiveConsumer(string queue) => queue.StartsWith("router-", StringComparison.Ordinal);

    /// <summary>
    /// The address to send to a queue: its exchange, which only that queue is bound to. A sender never declares the queue
    /// itself (see <see cref="FabricTopology"/>, which declares every service queue with its owner's arguments).
    /// </summary>
    public static Uri SendAddress(string queue) => new($"exchange:{queue}");

    /// <summary>The queue where MassTransit moves messages that failed every retry.</summary>
    public static string ErrorQueueOf(string queue) => $"{queue}_error";
}
