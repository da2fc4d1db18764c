using DotNet.Testcontainers.Builders;
using Planetary.LocalServers;
using Planetary.Testing.Containers;
using Planetary.Testing.Local;

namespace Planetary.Testing;

/// <summary>
/// A RabbitMQ and a Redis server for one test class or collection: Testcontainers where a container runtime
/// works, else local child processes, so the same integration tests run in both worlds. Connection strings
/// stay the same across restarts.
/// </summary>
public sealed class FabricServers : IAsyncDisposable
{
    /// <summary>The value of <see cref="Kind"/> when the servers run in containers.</summary>
    public const string ContainersKind = "containers";

    /// <summary>The value of <see cref="Kind"/> when the servers run as local processes.</summary>
    public const string LocalKind = "local";

    private FabricServers(string kind, IFabricServer rabbitMq, IFabricServer redis)
    {
        Kind = kind;
        RabbitMq = rabbitMq;
        Redis = redis;
    }

    /// <summary><see cref="ContainersKind"/> or <see cref="LocalKind"/>.</summary>
    public string Kind { get; }

    /// <summary>The broker.</summary>
    public IFabricServer RabbitMq { get; }

    /// <summary>The state store.</summary>
    public IFabricServer Redis { get; }

    /// <summary>AMQP URI, e.g. <c>amqp://guest:guest@127.0.0.1:41234</c>.</summary>
    public string RabbitMqConnectionString => RabbitMq.ConnectionString;

    /// <summary>StackExchange.Redis configuration, e.g. <c>127.0.0.1:41235</c>.</summary>
    public string RedisConnectionString => Redis.ConnectionString;

    /// <summary>Starts both servers; returns once both answer their protocols.</summary>
    public static async Task<FabricServers> StartAsync(
        FabricServersOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new FabricServersOptions();
        if (options.Source != FabricServersSource.Local)
        {
            var containers = await TryStartContainersAsync(options, cancellationToken).ConfigureAwait(false);
            if (containers is not null)
            {
                return containers;
            }
        }

        return await StartLocalAsync(options.Local, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Restarts the broker on the same port and data directory.</summary>
    public Task RestartRabbitMqAsync(
        ServerStopMode mode = ServerStopMode.Graceful, CancellationToken cancellationToken = default) =>
        RabbitMq.RestartAsync(mode, cancellationToken);

    /// <summary>Restarts Redis on the same port and data directory (append-only file).</summary>
    public Task RestartRedisAsync(
        ServerStopMode mode = ServerStopMode.Graceful, CancellationToken cancellationToken = default) =>
        Redis.RestartAsync(mode, cancellationToken);

    /// <summary>Stops both servers and removes their data.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            await RabbitMq.DisposeAsync().ConfigureAwait(false);
        }
        finally
        {
            await Redis.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static async Task<FabricServers?> TryStartContainersAsync(
        FabricServersOptions options, CancellationToken cancellationToken)
    {
        var ports = FreeLoopbackPorts.Take(2);
        Testcontainers.RabbitMq.RabbitMqContainer rabbitMq;
        Testcontainers.Redis.RedisContainer redis;
        try
        {
            (rabbitMq, redis) = FabricContainers.Build(ports[0], ports[1]);
        }
        catch (DockerUnavailableException exception) when (options.Source == FabricServersSource.Auto)
        {
            options.Local.Output?.Invoke($"[fabric-servers] no container runtime ({exception.Message}); using local servers");
            return null;
        }

        try
        {
            var (rabbitMqServer, redisServer) = await FabricContainers
                .StartAsync(rabbitMq, redis, options.Local.ReadinessTimeout, cancellationToken)
                .ConfigureAwait(false);
            return new FabricServers(ContainersKind, rabbitMqServer, redisServer);
        }
        catch (Exception exception) when (options.Source == FabricServersSource.Auto
                                          && exception is not OperationCanceledException)
        {
            options.Local.Output?.Invoke($"[fabric-servers] containers failed to start ({exception.Message}); using local servers");
            await rabbitMq.DisposeAsync().ConfigureAwait(false);
            await redis.DisposeAsync().ConfigureAwait(false);
            return null;
        }
    }

    private static async Task<FabricServers> StartLocalAsync(
        LocalServerOptions options, CancellationToken cancellationToken)
    {
        var rabbitMqStart = LocalRabbitMqServer.StartNewAsync(options, cancellationToken);
        var redisStart = LocalRedisServer.StartNewAsync(options, cancellationToken);
        try
        {
            await Task.WhenAll(rabbitMqStart, redisStart).ConfigureAwait(false);
        }
        catch
        {
            // Whichever started must not outlive the failure.
            await DisposeIfStartedAsync(rabbitMqStart).ConfigureAwait(false);
            await DisposeIfStartedAsync(redisStart).ConfigureAwait(false);
            throw;
        }

        return new FabricServers(LocalKind, rabbitMqStart.Result, redisStart.Result);
    }

    private static async Task DisposeIfStartedAsync<TServer>(Task<TServer> start)
        where TServer : IFabricServer
    {
        if (start.IsCompletedSuccessfully)
        {
            await start.Result.DisposeAsync().ConfigureAwait(false);
        }
    }
}
