using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Planetary.AppHost.Supervision;
using Planetary.LocalServers;
using Planetary.LocalServers.Probes;

namespace Planetary.AppHost.Infrastructure;

/// <summary>
/// The multi-host topology on one machine, as supervised local processes on loopback:
/// <list type="bullet">
/// <item><c>eventbus-1</c>..<c>eventbus-3</c>: a three-node RabbitMQ cluster (classic-config peer discovery, one shared
/// epmd <c>eventbus-epmd</c>, one Erlang cookie); the services declare quorum queues (<c>Fabric:QuorumQueues</c>) and
/// get every node in <c>ConnectionStrings:eventbus</c> (<see cref="RabbitMqClusterConnection"/>).</item>
/// <item><c>state-redis-1</c> (primary at the first start), <c>state-redis-2</c> (its replica) and
/// <c>state-sentinel-1</c>..<c>3</c>: Redis with Sentinel failover; <c>ConnectionStrings:state</c> names the Sentinels
/// (<c>serviceName=fabric</c>), and routers wait for one replica to acknowledge each journal commit
/// (<c>Fabric:JournalReplicaAcks=1</c>).</item>
/// </list>
/// Every server is supervised (restarted on the same data when it dies) and its data is kept across runs.
/// </summary>
internal static class ClusterInfrastructure
{
    private const string TcpScheme = "tcp";
    private const string CookieFile = "rabbitmq-cluster.cookie";

    public static FabricInfrastructure Add(IDistributedApplicationBuilder builder, InfrastructureOptions options)
    {
        var cluster = options.Cluster;
        cluster.Validate();
        ServerExecutables.Default.EnsureInstalled();
        var stateRoot = LocalInfrastructure.StateRoot(builder, options.Local);
        var free = new Queue<int>(FreeLoopbackPorts.Take(14));
        int Port(int configured) => LocalInfrastructure.Concrete(configured, free.Dequeue());

        var epmdPort = Port(cluster.EpmdPort);
        var amqpPorts = cluster.AmqpPortsOrDefault.Select(Port).ToArray();
        var distributionPorts = cluster.DistributionPortsOrDefault.Select(Port).ToArray();
        var redisPorts = cluster.RedisPortsOrDefault.Select(Port).ToArray();
        var sentinelPorts = cluster.SentinelPortsOrDefault.Select(Port).ToArray();

        // The cluster's shared secret stays beside the nodes' folders (a wipe leaves it: it holds no data).
        var peers = new RabbitMqClusterPeers(ReadOrCreateCookie(Path.Combine(stateRoot, CookieFile)), amqpPorts.Select(RabbitMqLocalLayout.NodeNameFor).ToArray());
        var nodes = amqpPorts.Select((amqp, index) => new RabbitMqLocalLayout(
                new RabbitMqPorts(amqp, distributionPorts[index], epmdPort), Path.Combine(stateRoot, $"rabbitmq-{amqp}"), cluster: peers))
            .ToArray();
        var redis = redisPorts.Select((port, index) => new RedisReplicatedLayout(
                port, Path.Combine(stateRoot, $"redis-{port}"), index == 0 ? null : redisPorts[0]))
            .ToArray();
        var sentinels = sentinelPorts.Select(port => new RedisSentinelLayout(port, Path.Combine(stateRoot, $"sentinel-{port}"), redisPorts[0]))
            .ToArray();
        var eventBusConnection = RabbitMqClusterConnection.Format(amqpPorts);
        var stateConnection = RedisSentinelLayout.ConnectionString(sentinelPorts);

        builder.Eventing.Subscribe<BeforeStartEvent>((startEvent, _) =>
        {
            var logger = startEvent.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ClusterInfrastructure));
            if (options.Wipe)
            {
                DataWipe.DeleteFolders(logger,
                [
                    .. nodes.Select(node => new DataLocation("RabbitMQ", DataWipe.BrokerContents, node.StateDirectory)),
                    .. redis.Select(server => new DataLocation("Redis", DataWipe.StateContents, server.DataDirectory)),
                    .. sentinels.Select(sentinel => new DataLocation("Redis Sentinel", "which server is the primary", sentinel.Directory)),
                ]);
            }

            Array.ForEach(nodes, node => node.WriteFiles());
            Array.ForEach(redis, server => server.WriteFiles());
            Array.ForEach(sentinels, sentinel => sentinel.WriteFiles());
            InfrastructureLog.ClusterPrepared(logger, eventBusConnection, stateConnection, stateRoot);
            return Task.CompletedTask;
        });

        var epmd = LocalInfrastructure.AddEpmd(builder, nodes[0]);
        var first = LocalInfrastructure.AddRabbitMq(builder, $"{FabricInfrastructure.EventBusName}-1", epmd, nodes[0], eventBusConnection);
        epmd.WithParentRelationship(first);
        var brokers = new List<IResourceBuilder<IResource>> { first };
        for (var index = 1; index < nodes.Length; index++)
        {
            // The first node forms the cluster; the others join it at their first boot (and rejoin after a restart).
            var node = LocalInfrastructure.AddRabbitMq(builder, $"{FabricInfrastructure.EventBusName}-{index + 1}", epmd, nodes[index], eventBusConnection)
                .WaitFor(first)
                .WithParentRelationship(first);
            brokers.Add(node);
        }

        // At the first start the services wait until every node is a running member of the cluster (so each quorum queue
        // gets three members); a restarted service waits for nothing, whichever node is down.
        var formed = AddClusterFormedCheck(builder, nodes[0], nodes.Length);
        brokers.ForEach(broker => formed.WaitFor(broker));
        formed.WithParentRelationship(first);

        var primary = AddRedisServer(builder, $"{FabricInfrastructure.StateName}-redis-1", redis[0], stateConnection);
        AddRedisServer(builder, $"{FabricInfrastructure.StateName}-redis-2", redis[1], stateConnection)
            .WaitFor(primary)
            .WithParentRelationship(primary);
        // The services find the primary through the Sentinels, so they wait for the Sentinels only: a dead Redis server
        // (the primary or the replica) never holds up a service's restart.
        var sentinelResources = new List<IResourceBuilder<IResource>>();
        for (var index = 0; index < sentinels.Length; index++)
        {
            sentinelResources.Add(AddSentinel(builder, $"{FabricInfrastructure.StateName}-sentinel-{index + 1}", sentinels[index], stateConnection)
                .WaitFor(primary)
                .WithParentRelationship(primary));
        }

        return new FabricInfrastructure(
            FabricServerGroup.Cluster(FabricInfrastructure.EventBusName, ReferenceExpression.Create($"{eventBusConnection}"), [], [formed]),
            FabricServerGroup.Cluster(FabricInfrastructure.StateName, ReferenceExpression.Create($"{stateConnection}"), sentinelResources, []),
            InfrastructureMode.Local,
            InfrastructureTopology.Cluster)
        {
            ServiceSettings = new Dictionary<string, string>
            {
                ["Fabric__QuorumQueues"] = cluster.QuorumQueues ? "true" : "false",
                ["Fabric__JournalReplicaAcks"] = cluster.JournalReplicaAcks.ToString(System.Globalization.CultureInfo.InvariantCulture),
            },
        };
    }

    private static IResourceBuilder<LocalRedisResource> AddRedisServer(
        IDistributedApplicationBuilder builder, string name, RedisReplicatedLayout layout, string connectionString) =>
        AddRedisProcess(builder, name, layout.ServerLaunch(), layout.DataDirectory, layout.Port, "redis", connectionString);

    private static IResourceBuilder<LocalRedisResource> AddSentinel(
        IDistributedApplicationBuilder builder, string name, RedisSentinelLayout layout, string connectionString) =>
        AddRedisProcess(builder, name, layout.ServerLaunch(), layout.Directory, layout.Port, "sentinel", connectionString);

    /// <summary>A Redis server or Sentinel: supervised, answering PING on its port.</summary>
    private static IResourceBuilder<LocalRedisResource> AddRedisProcess(
        IDistributedApplicationBuilder builder, string name, ServerLaunch launch, string directory, int port, string endpoint,
        string connectionString) =>
        builder.AddResource(new LocalRedisResource(name, launch, directory, connectionString))
            .WithLaunch(launch)
            .WithEndpoint(port: port, targetPort: port, scheme: TcpScheme, name: endpoint, isProxied: false)
            .WithProtocolHealthCheck(RedisProbe.IsReadyAsync, port, endpoint)
            .WithServerSupervision()
            .ExcludeFromManifest();

    /// <summary>
    /// <c>eventbus-cluster</c>: a one-shot <c>rabbitmqctl await_online_nodes N</c> against the first node, which completes
    /// once all N nodes run as members of one cluster.
    /// </summary>
    private static IResourceBuilder<ExecutableResource> AddClusterFormedCheck(
        IDistributedApplicationBuilder builder, RabbitMqLocalLayout first, int nodes)
    {
        var launch = first.ControlLaunch("await_online_nodes", nodes.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return builder.AddExecutable($"{FabricInfrastructure.EventBusName}-cluster", launch.FileName, launch.WorkingDirectory)
            .WithLaunch(launch)
            .ExcludeFromManifest();
    }

    /// <summary>The cluster's Erlang cookie, kept beside the nodes' folders (created on the first run).</summary>
    private static string ReadOrCreateCookie(string path)
    {
        if (File.Exists(path))
        {
            return File.ReadAllText(path).Trim();
        }

        var cookie = Convert.ToHexString(RandomNumberGenerator.GetBytes(20));
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, cookie);
        return cookie;
    }
}
