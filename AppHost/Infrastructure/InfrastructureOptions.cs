namespace Planetary.AppHost.Infrastructure;

/// <summary>The <c>Infrastructure</c> configuration section of the app host.</summary>
public sealed class InfrastructureOptions
{
    /// <summary>The configuration section these options bind to.</summary>
    public const string SectionName = "Infrastructure";

    /// <summary><c>auto</c> (default), <c>containers</c>, <c>local</c> or <c>external</c>.</summary>
    public InfrastructureMode Mode { get; set; } = InfrastructureMode.Auto;

    /// <summary><c>single</c> (default: one RabbitMQ, one Redis) or <c>cluster</c> (three RabbitMQ nodes, Redis with Sentinels).</summary>
    public InfrastructureTopology Topology { get; set; } = InfrastructureTopology.Single;

    /// <summary>
    /// False (default): the servers' data is kept across runs of the app host (queued jobs, the books, the journals,
    /// the owner log and the parameters). True: it is deleted before the servers start, and the log says what was
    /// deleted (<c>bash scripts/run-fabric.sh --wipe</c>). Within one run, a server restart never loses data.
    /// </summary>
    public bool Wipe { get; set; }

    /// <summary>How long <c>auto</c> waits for <c>docker info</c> (or the <c>ASPIRE_CONTAINER_RUNTIME</c> CLI).</summary>
    public int ContainerRuntimeProbeSeconds { get; set; } = 5;

    /// <summary>Settings of the <c>local</c> mode (and where the local servers keep their data).</summary>
    public LocalInfrastructureOptions Local { get; set; } = new();

    /// <summary>Settings of the <c>containers</c> mode.</summary>
    public ContainerInfrastructureOptions Containers { get; set; } = new();

    /// <summary>Ports of the <c>cluster</c> topology.</summary>
    public ClusterInfrastructureOptions Cluster { get; set; } = new();
}

/// <summary>
/// Ports and state of the local servers. Ports are concrete numbers on purpose: a reference to another
/// resource's allocated port reaches a service unresolved. 0 picks a free port when the app host starts.
/// </summary>
public sealed class LocalInfrastructureOptions
{
    /// <summary>AMQP port of the local RabbitMQ (not 5672, so a system broker does not clash).</summary>
    public int RabbitMqPort { get; set; } = 5673;

    /// <summary>Erlang distribution port of the local RabbitMQ node.</summary>
    public int RabbitMqDistributionPort { get; set; } = 25673;

    /// <summary>Port of the node's private epmd (not 4369, the system epmd's).</summary>
    public int EpmdPort { get; set; } = 4370;

    /// <summary>Port of the local Redis (not 6379).</summary>
    public int RedisPort { get; set; } = 6380;

    /// <summary>
    /// Root of the local servers' data and config (every topology); default <c>.tmp/infrastructure</c> in the
    /// repository, one folder per server and port.
    /// </summary>
    public string? StateDirectory { get; set; }

    /// <summary>Throws when a port is out of range or two ports are the same.</summary>
    public void Validate() => PortRules.Validate($"{InfrastructureOptions.SectionName}:Local", [RabbitMqPort, RabbitMqDistributionPort, EpmdPort, RedisPort]);
}

/// <summary>Images and volumes of the <c>containers</c> mode.</summary>
public sealed class ContainerInfrastructureOptions
{
    /// <summary>
    /// The RabbitMQ image, e.g. <c>localhost/planetary-rabbitmq:3.10.8-debian12</c> (built by
    /// <c>scripts/containers.sh</c>); empty: Aspire's official <c>docker.io/library/rabbitmq</c> image.
    /// </summary>
    public string? RabbitMqImage { get; set; }

    /// <summary>The Redis image; empty: Aspire's official <c>docker.io/library/redis</c> image.</summary>
    public string? RedisImage { get; set; }

    /// <summary>
    /// Prefix of the data volumes: <c>{prefix}-eventbus-data</c> (RabbitMQ) and <c>{prefix}-state-data</c> (Redis).
    /// Two fleets on one machine need two prefixes.
    /// </summary>
    public string VolumePrefix { get; set; } = "planetary";
}

/// <summary>
/// Loopback ports of the <c>cluster</c> topology (local processes): three RabbitMQ nodes sharing one epmd, and a
/// Redis primary, a replica and three Sentinels. 0 picks free ports when the app host starts.
/// </summary>
public sealed class ClusterInfrastructureOptions
{
    // Arrays are null until configured: the configuration binder appends to an array that already has elements.

    /// <summary>AMQP ports of the three RabbitMQ nodes (default 5681-5683).</summary>
    public int[]? RabbitMqPorts { get; set; }

    /// <summary>Erlang distribution ports of the three nodes (default 25681-25683).</summary>
    public int[]? RabbitMqDistributionPorts { get; set; }

    /// <summary>The nodes' shared epmd.</summary>
    public int EpmdPort { get; set; } = 4380;

    /// <summary>The Redis primary (at the first start) and its replica (default 6391, 6392).</summary>
    public int[]? RedisPorts { get; set; }

    /// <summary>The three Sentinels (default 26391-26393).</summary>
    public int[]? SentinelPorts { get; set; }

    /// <summary>
    /// True (default): the services declare quorum queues (<c>Fabric:QuorumQueues</c>), replicated on the three nodes.
    /// False: classic queues, each on the node that declared it (cheaper; a node's outage stalls its queues until it
    /// returns) — for comparisons (docs/scaling.md).
    /// </summary>
    public bool QuorumQueues { get; set; } = true;

    /// <summary>Replicas that must acknowledge each router journal commit (<c>Fabric:JournalReplicaAcks</c>, default 1; 0 = none).</summary>
    public int JournalReplicaAcks { get; set; } = 1;

    internal int[] AmqpPortsOrDefault => RabbitMqPorts ?? [5681, 5682, 5683];

    internal int[] DistributionPortsOrDefault => RabbitMqDistributionPorts ?? [25681, 25682, 25683];

    internal int[] RedisPortsOrDefault => RedisPorts ?? [6391, 6392];

    internal int[] SentinelPortsOrDefault => SentinelPorts ?? [26391, 26392, 26393];

    /// <summary>Throws when a port is out of range, two ports are the same, or a list has the wrong length.</summary>
    public void Validate()
    {
        var section = $"{InfrastructureOptions.SectionName}:Cluster";
        if (AmqpPortsOrDefault.Length != 3 || DistributionPortsOrDefault.Length != 3 || RedisPortsOrDefault.Length != 2 ||
            SentinelPortsOrDefault.Length != 3)
        {
            throw new InvalidOperationException(
                $"{section}: RabbitMqPorts and RabbitMqDistributionPorts need 3 ports, RedisPorts 2 and SentinelPorts 3.");
        }

        if (JournalReplicaAcks is < 0 or > 1)
        {
            throw new InvalidOperationException($"{section}:JournalReplicaAcks must be 0 or 1 (the topology has one replica).");
        }

        PortRules.Validate(section,
            [.. AmqpPortsOrDefault, .. DistributionPortsOrDefault, EpmdPort, .. RedisPortsOrDefault, .. SentinelPortsOrDefault]);
    }
}

/// <summary>Port checks shared by the local topologies.</summary>
internal static class PortRules
{
    public static void Validate(string section, int[] ports)
    {
        if (ports.Any(port => port is < 0 or > 65535))
        {
            throw new InvalidOperationException($"{section} ports must be 0..65535.");
        }

        var fixedPorts = ports.Where(port => port != 0).ToList();
        if (fixedPorts.Count != fixedPorts.Distinct().Count())
        {
            throw new InvalidOperationException($"{section} ports must differ.");
        }
    }
}
