using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Planetary.AppHost.Supervision;
using Planetary.LocalServers;
using Planetary.LocalServers.Probes;

namespace Planetary.AppHost.Infrastructure;

/// <summary>
/// RabbitMQ and Redis as executables the app host starts, supervises (a server that dies is started again, on the
/// same data) and stops: no container runtime needed. RabbitMQ's private epmd runs as its own resource first, so no
/// <c>epmd -daemon</c> outlives the app host. Data is kept across runs unless <c>Infrastructure:Wipe</c> is set.
/// </summary>
internal static class LocalInfrastructure
{
    private const string TcpScheme = "tcp";

    public static FabricInfrastructure Add(IDistributedApplicationBuilder builder, InfrastructureOptions options)
    {
        var local = options.Local;
        local.Validate();
        ServerExecutables.Default.EnsureInstalled();
        var stateRoot = StateRoot(builder, local);

        var free = FreeLoopbackPorts.Take(4);
        var ports = new RabbitMqPorts(
            Concrete(local.RabbitMqPort, free[0]),
            Concrete(local.RabbitMqDistributionPort, free[1]),
            Concrete(local.EpmdPort, free[2]));
        var redisPort = Concrete(local.RedisPort, free[3]);
        var rabbitMq = new RabbitMqLocalLayout(ports, Path.Combine(stateRoot, $"rabbitmq-{ports.Amqp}"));
        var redis = new RedisLocalLayout(redisPort, Path.Combine(stateRoot, $"redis-{redisPort}"));

        builder.Eventing.Subscribe<BeforeStartEvent>((startEvent, _) =>
        {
            var logger = startEvent.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(LocalInfrastructure));
            if (options.Wipe)
            {
                DataWipe.DeleteFolders(logger,
                [
                    new DataLocation("RabbitMQ", DataWipe.BrokerContents, rabbitMq.StateDirectory),
                    new DataLocation("Redis", DataWipe.StateContents, redis.DataDirectory),
                ]);
            }

            rabbitMq.WriteFiles();
            redis.WriteFiles();
            InfrastructureLog.LocalServersPrepared(logger, rabbitMq.ConnectionString, redis.ConnectionString, stateRoot);
            return Task.CompletedTask;
        });

        var epmd = AddEpmd(builder, rabbitMq);
        var eventBus = AddRabbitMq(builder, FabricInfrastructure.EventBusName, epmd, rabbitMq);
        epmd.WithParentRelationship(eventBus);
        return new FabricInfrastructure(
            FabricServerGroup.Of(eventBus),
            FabricServerGroup.Of(AddRedis(builder, redis)),
            InfrastructureMode.Local,
            InfrastructureTopology.Single);
    }

    /// <summary>The local servers' data root: <c>Infrastructure:Local:StateDirectory</c>, default <c>.tmp/infrastructure</c>.</summary>
    public static string StateRoot(IDistributedApplicationBuilder builder, LocalInfrastructureOptions options) =>
        Path.GetFullPath(options.StateDirectory is { Length: > 0 } configured
            ? configured
            : Path.Combine(builder.AppHostDirectory, "..", ".tmp", "infrastructure"));

    /// <summary>The node's (or the cluster's) Erlang port mapper, supervised.</summary>
    public static IResourceBuilder<ExecutableResource> AddEpmd(
        IDistributedApplicationBuilder builder, RabbitMqLocalLayout layout, string name = $"{FabricInfrastructure.EventBusName}-epmd")
    {
        var epmdLaunch = layout.EpmdLaunch();
        return builder
            .AddExecutable(name, epmdLaunch.FileName, epmdLaunch.WorkingDirectory)
            .WithLaunch(epmdLaunch)
            .WithProtocolHealthCheck(EpmdProbe.IsReadyAsync, layout.Ports.Epmd, "epmd")
            .WithServerSupervision()
            .ExcludeFromManifest();
    }

    /// <summary>One RabbitMQ node (the Erlang VM itself), after its epmd; supervised.</summary>
    public static IResourceBuilder<LocalRabbitMqResource> AddRabbitMq(
        IDistributedApplicationBuilder builder, string name, IResourceBuilder<ExecutableResource> epmd, RabbitMqLocalLayout layout,
        string? connectionString = null)
    {
        var node = builder.AddResource(new LocalRabbitMqResource(name, layout, connectionString ?? layout.ConnectionString))
            .WithLaunch(layout.ServerLaunch())
            .WithEndpoint(port: layout.Ports.Amqp, targetPort: layout.Ports.Amqp, scheme: TcpScheme, name: "amqp", isProxied: false)
            .WithProtocolHealthCheck(AmqpProbe.IsReadyAsync, layout.Ports.Amqp, "amqp")
            .WaitFor(epmd)
            .WithServerSupervision()
            .ExcludeFromManifest();
        return node;
    }

    private static IResourceBuilder<IResourceWithConnectionString> AddRedis(
        IDistributedApplicationBuilder builder, RedisLocalLayout layout) =>
        builder.AddResource(new LocalRedisResource(FabricInfrastructure.StateName, layout.ServerLaunch(), layout.DataDirectory, layout.ConnectionString))
            .WithLaunch(layout.ServerLaunch())
            .WithEndpoint(port: layout.Port, targetPort: layout.Port, scheme: TcpScheme, name: "redis", isProxied: false)
            .WithProtocolHealthCheck(RedisProbe.IsReadyAsync, layout.Port, "redis")
            .WithServerSupervision()
            .ExcludeFromManifest();

    public static int Concrete(int configuredPort, int freePort) => configuredPort == 0 ? freePort : configuredPort;
}
