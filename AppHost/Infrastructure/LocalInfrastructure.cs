using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Planetary.LocalServers;
using Planetary.LocalServers.Probes;

namespace Planetary.AppHost.Infrastructure;

/// <summary>
/// RabbitMQ and Redis as executables the app host starts, watches and stops: no container runtime needed.
/// RabbitMQ's private epmd runs as its own resource first, so no <c>epmd -daemon</c> outlives the app host.
/// </summary>
internal static class LocalInfrastructure
{
    private const string TcpScheme = "tcp";

    public static (IResourceBuilder<IResourceWithConnectionString> EventBus, IResourceBuilder<IResourceWithConnectionString> State)
        Add(IDistributedApplicationBuilder builder, LocalInfrastructureOptions options)
    {
        options.Validate();
        ServerExecutables.Default.EnsureInstalled();
        var stateRoot = Path.GetFullPath(
            options.StateDirectory is { Length: > 0 } configured
                ? configured
                : Path.Combine(builder.AppHostDirectory, "..", ".tmp", "infrastructure"));

        var free = FreeLoopbackPorts.Take(4);
        var ports = new RabbitMqPorts(
            Concrete(options.RabbitMqPort, free[0]),
            Concrete(options.RabbitMqDistributionPort, free[1]),
            Concrete(options.EpmdPort, free[2]));
        var redisPort = Concrete(options.RedisPort, free[3]);
        var rabbitMq = new RabbitMqLocalLayout(ports, Path.Combine(stateRoot, $"rabbitmq-{ports.Amqp}"));
        var redis = new RedisLocalLayout(redisPort, Path.Combine(stateRoot, $"redis-{redisPort}"));

        builder.Eventing.Subscribe<BeforeStartEvent>((startEvent, _) =>
        {
            PrepareDirectories(rabbitMq, redis, options.KeepData);
            var logger = startEvent.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(LocalInfrastructure));
            InfrastructureLog.LocalServersPrepared(logger, rabbitMq.ConnectionString, redis.ConnectionString, stateRoot, options.KeepData);
            return Task.CompletedTask;
        });

        return (AddRabbitMq(builder, rabbitMq), AddRedis(builder, redis));
    }

    private static IResourceBuilder<IResourceWithConnectionString> AddRabbitMq(
        IDistributedApplicationBuilder builder, RabbitMqLocalLayout layout)
    {
        var epmdLaunch = layout.EpmdLaunch();
        var epmd = builder
            .AddExecutable($"{FabricInfrastructure.EventBusName}-epmd", epmdLaunch.FileName, epmdLaunch.WorkingDirectory)
            .WithLaunch(epmdLaunch)
            .WithProtocolHealthCheck(EpmdProbe.IsReadyAsync, layout.Ports.Epmd, "epmd")
            .ExcludeFromManifest();

        var eventBus = builder.AddResource(new LocalRabbitMqResource(FabricInfrastructure.EventBusName, layout))
            .WithLaunch(layout.ServerLaunch())
            .WithEndpoint(port: layout.Ports.Amqp, targetPort: layout.Ports.Amqp, scheme: TcpScheme, name: "amqp", isProxied: false)
            .WithProtocolHealthCheck(AmqpProbe.IsReadyAsync, layout.Ports.Amqp, "amqp")
            .WaitFor(epmd)
            .ExcludeFromManifest();

        epmd.WithParentRelationship(eventBus);
        return eventBus;
    }

    private static IResourceBuilder<IResourceWithConnectionString> AddRedis(
        IDistributedApplicationBuilder builder, RedisLocalLayout layout) =>
        builder.AddResource(new LocalRedisResource(FabricInfrastructure.StateName, layout))
            .WithLaunch(layout.ServerLaunch())
            .WithEndpoint(port: layout.Port, targetPort: layout.Port, scheme: TcpScheme, name: "redis", isProxied: false)
            .WithProtocolHealthCheck(RedisProbe.IsReadyAsync, layout.Port, "redis")
            .ExcludeFromManifest();

    /// <summary>Empties the servers' directories unless data is kept, then writes config files.</summary>
    private static void PrepareDirectories(RabbitMqLocalLayout rabbitMq, RedisLocalLayout redis, bool keepData)
    {
        if (!keepData)
        {
            DeleteIfPresent(rabbitMq.StateDirectory);
            DeleteIfPresent(redis.DataDirectory);
        }

        rabbitMq.WriteFiles();
        redis.WriteFiles();
    }

    private static void DeleteIfPresent(string directory)
    {
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static int Concrete(int configuredPort, int freePort) => configuredPort == 0 ? freePort : configuredPort;
}
