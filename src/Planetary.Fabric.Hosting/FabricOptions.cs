namespace Planetary.Fabric.Hosting;

/// <summary>The <c>Fabric</c> configuration section every service reads (the app host sets it).</summary>
public sealed class FabricOptions
{
    public const string SectionName = "Fabric";

    /// <summary>Path of the owner manifest (the genesis: shards, nodes, templates, initial parameters).</summary>
    public string ManifestPath { get; set; } = "config/fabric.json";

    /// <summary>The shard a router serves.</summary>
    public string? ShardId { get; set; }

    /// <summary>The node an agent runs.</summary>
    public string? NodeId { get; set; }

    /// <summary>Seed of the agents' success draws.</summary>
    public ulong Seed { get; set; } = 42;

    /// <summary>Ticks between status reports to owner control.</summary>
    public int StatusIntervalTicks { get; set; } = 10;

    /// <summary>
    /// Declare every service queue as a RabbitMQ quorum queue (replicated across a RabbitMQ cluster's nodes) instead of a
    /// classic durable queue. Set it for a cluster; a single broker needs nothing more than the default.
    /// </summary>
    public bool QuorumQueues { get; set; }

    /// <summary>
    /// With a replicated Redis, how many replicas must acknowledge each journal commit (Redis WAIT) before a router
    /// acknowledges its inputs; 0 (default) trusts the primary's fsync. A commit the replicas do not confirm within a
    /// second fail-stops the router, exactly like a failed journal write.
    /// </summary>
    public int JournalReplicaAcks { get; set; }
}

/// <summary>Connection string names, as the app host's resources are named.</summary>
public static class ConnectionNames
{
    public const string EventBus = "eventbus";
    public const string State = "state";
}
