using DotNet.Testcontainers.Containers;
using Planetary.LocalServers.Probes;
using Testcontainers.RabbitMq;
using Testcontainers.Redis;

namespace Planetary.Testing.Containers;

/// <summary>
/// Builds and starts the RabbitMQ and Redis containers on fixed, currently free host ports. The images are the
/// official ones unless <see cref="RabbitMqImageVariable"/> / <see cref="RedisImageVariable"/> name others (on a
/// machine without a registry, the ones <c>scripts/containers.sh</c> builds from Debian's packages).
/// </summary>
internal static class FabricContainers
{
    /// <summary>Environment variable naming the RabbitMQ image to use instead of the official one.</summary>
    public const string RabbitMqImageVariable = "PLANETARY_TEST_RABBITMQ_IMAGE";

    /// <summary>Environment variable naming the Redis image to use instead of the official one.</summary>
    public const string RedisImageVariable = "PLANETARY_TEST_REDIS_IMAGE";

    private const string OfficialRabbitMqImage = "rabbitmq:3.13-alpine";
    private const string OfficialRedisImage = "redis:7.4-alpine";
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

    /// <summary>The RabbitMQ image the containers use.</summary>
    public static string RabbitMqImage => Environment.GetEnvironmentVariable(RabbitMqImageVariable) is { Length: > 0 } image ? image : OfficialRabbitMqImage;

    /// <summary>The Redis image the containers use.</summary>
    public static string RedisImage => Environment.GetEnvironmentVariable(RedisImageVariable) is { Length: > 0 } image ? image : OfficialRedisImage;

    public static async Task<(IFabricServer RabbitMq, IFabricServer Redis)> StartAsync(
        RabbitMqContainer rabbitMq, RedisContainer redis, TimeSpan readinessTimeout, CancellationToken cancellationToken)
    {
        await Task.WhenAll(rabbitMq.StartAsync(cancellationToken), redis.StartAsync(cancellationToken)).ConfigureAwait(false);
        return (Wrap(rabbitMq, rabbitMq.GetConnectionString(), RabbitMqContainerPort, AmqpProbe.IsReadyAsync, "Server startup complete", readinessTimeout),
                Wrap(redis, redis.GetConnectionString(), RedisContainerPort, RedisProbe.IsReadyAsync, "Ready to accept connections", readinessTimeout));
    }

    private static ContainerFabricServer Wrap(
        IContainer container,
        string connectionString,
        int containerPort,
        Func<string, int, TimeSpan, CancellationToken, Task<bool>> probe,
        string readyLogLine,
        TimeSpan readinessTimeout)
    {
        var host = container.Hostname;
        var port = container.GetMappedPublicPort(containerPort);
        return new ContainerFabricServer(
            container,
            connectionString,
            ct => probe(host, port, ContainerFabricServer.ProbeTimeout, ct),
            readyLogLine,
            readinessTimeout);
    }
}
