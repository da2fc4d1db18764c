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

    /// <summary>
    /// Environment variable naming a file to which every start appends one line saying which way the servers run
    /// (<c>scripts/test.sh</c> prints it at the end of the run, so the output says which way each collection ran).
    /// </summary>
    public const string RunLogVariable = "PLANETARY_TEST_INFRASTRUCTURE_LOG";

    private FabricServers(string kind, string description, IFabricServer rabbitMq, IFabricServer redis)
    {
        Kind = kind;
        Description = description;
        RabbitMq = rabbitMq;
        Redis = redis;
    }

    /// <summary><see cref="ContainersKind"/> or <see cref="LocalKind"/>.</summary>
    public string Kind { get; }

    /// <summary>Which way the servers run, in words (e.g. "containers (rabbitmq:3.13-alpine, redis:7.4-alpine)").</summary>
    public string Description { get; }

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
        FabricServers? servers = null;
        if (options.Source != FabricServersSource.Local)
        {
            servers = await TryStartContainersAsync(options, cancellationToken).ConfigureAwait(false);
        }

        servers ??= await StartLocalAsync(options.Local, cancellationToken).ConfigureAwait(false);
        servers.Announce(options.Local.Output);
        return servers;
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
            return new FabricServers(
                ContainersKind, $"containers ({FabricContainers.RabbitMqImage}, {FabricContainers.RedisImage})", rabbitMqServer, redisServer);
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

        return new FabricServers(
            LocalKind, "local processes (Debian's rabbitmq-server and redis-server)", rabbitMqStart.Result, redisStart.Result);
    }

    /// <summary>Says which way the servers run: to the output sink, and to the run log when one is named.</summary>
    private void Announce(Action<string>? output)
    {
        var who = System.Reflection.Assembly.GetEntryAssembly()?.GetName().Name is { } entry && entry != "testhost"
            ? entry
            : AppDomain.CurrentDomain.GetAssemblies()
                .Select(assembly => assembly.GetName().Name)
                .FirstOrDefault(name => name is not null && name.EndsWith(".Tests", StringComparison.Ordinal)) ?? "tests";
        var line = $"{who}: RabbitMQ and Redis as {Description}";
        output?.Invoke($"[fabric-servers] {line}");
        if (Environment.GetEnvironmentVariable(RunLogVariable) is { Length: > 0 } path)
        {
            File.AppendAllText(path, line + Environment.NewLine);
        }
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
