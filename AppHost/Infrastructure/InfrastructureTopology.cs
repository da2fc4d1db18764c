namespace Planetary.AppHost.Infrastructure;

/// <summary>How many servers of each kind the app host runs.</summary>
public enum InfrastructureTopology
{
    /// <summary>One RabbitMQ and one Redis (any mode).</summary>
    Single,

    /// <summary>
    /// The multi-host topology on one machine, as local processes: a three-node RabbitMQ cluster (the services declare
    /// quorum queues and know every node) and a Redis primary with a replica and three Sentinels (routers wait for one
    /// replica to acknowledge each journal commit). See docs/scaling.md.
    /// </summary>
    Cluster,
}
