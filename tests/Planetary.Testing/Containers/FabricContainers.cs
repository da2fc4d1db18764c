using DotNet.Testcontainers.Containers;
using Planetary.LocalServers.Probes;
using Testcontainers.RabbitMq;
using Testcontainers.Redis;

namespace Planetary.Testing.Containers;

/// <summary>Builds and starts the RabbitMQ and Redis containers on fixed, currently free host ports.</summary>
internal static class FabricContainers
{
    private const string RabbitMqImage = "rabbitmq:3.13-alpine";
    private const string RedisImage = "redis:7.4-alpine";
    private const int RabbitMqContainerPort = 5672;
    private const int RedisContainerPort = 6379;

    /// <summary>
    /// Builds both containers. Throws <see cref="DotNet.Testcontainers.Builders.DockerUnavailableException"/>
    /// within about half a second when no container runtime answers.
    /// </summary>
    public static (RabbitMqContainer RabbitMq, RedisContainer Redis) Build(int rabbitMqHostPort, int redisHostPort)
    {
        var rabbitMq = new RabbitMqBuilder(RabbitMqImage)
            .WithPortBinding(rabbitMqHostPort, RabbitMqContainerPort)
            .Build();
        var redis = new RedisBuilder(RedisImage)
            .WithPortBinding(redisHostPort, RedisContainerPort)
            .WithCommand("--appendonly", "yes", "--appendfsync", "always", "--save", string.Empty)
            .Build();
        return (rabbitMq, redis);
    }

    public static async Task<(IFabricServer RabbitMq, IFabricServer Redis)> StartAsync(
        RabbitMqContainer rabbitMq, RedisContainer redis, TimeSpan readinessTimeout, CancellationToken cancellationToken)
    {
        await Task.WhenAll(rabbitMq.StartAsync(cancellationToken), redis.StartAsync(cancellationToken)).ConfigureAwait(false);
        return (Wrap(rabbitMq, rabbitMq.GetConnectionString(), RabbitMqContainerPort, AmqpProbe.IsReadyAsync, readinessTimeout),
                Wrap(redis, redis.GetConnectionString(), RedisContainerPort, RedisProbe.IsReadyAsync, readinessTimeout));
    }

    private static ContainerFabricServer Wrap(
        IContainer container,
        string connectionString,
        int containerPort,
        Func<string, int, TimeSpan, CancellationToken, Task<bool>> probe,
        TimeSpan readinessTimeout)
    {
        var host = container.Hostname;
        var port = container.GetMappedPublicPort(containerPort);
        return new ContainerFabricServer(
            container,
            connectionString,
            ct => probe(host, port, ContainerFabricServer.ProbeTimeout, ct),
            readinessTimeout);
    }
}
