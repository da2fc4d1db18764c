using Planetary.LocalServers;
using Planetary.LocalServers.Probes;
using Planetary.Testing.Processes;

namespace Planetary.Testing.Local;

/// <summary>
/// A Redis server as a child process on a free loopback port with a private append-only data directory.
/// Ready when it answers PING. Restarts keep the port and the data directory, so written keys survive
/// (a graceful stop flushes the append-only file; a kill may lose the last second of writes).
/// </summary>
public sealed class LocalRedisServer : IFabricServer
{
    private readonly RedisLocalLayout _layout;
    private readonly ScratchDirectory _directory;
    private readonly LocalServerOptions _options;
    private ServerProcess? _server;

    private LocalRedisServer(RedisLocalLayout layout, ScratchDirectory directory, LocalServerOptions options)
    {
        _layout = layout;
        _directory = directory;
        _options = options;
    }

    /// <inheritdoc />
    public string ConnectionString => _layout.ConnectionString;

    /// <summary>The port the server listens on.</summary>
    public int Port => _layout.Port;

    /// <summary>PID of the server, or null while stopped.</summary>
    public int? ProcessId => _server?.ProcessId;

    /// <summary>Starts the server and returns once it answers PING.</summary>
    public static async Task<LocalRedisServer> StartNewAsync(
        LocalServerOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new LocalServerOptions();
        ServerExecutables.Default.EnsureInstalled();
        var port = FreeLoopbackPorts.Take(1)[0];
        var directory = ScratchDirectory.Create($"redis-{port}", options.StateRoot);
        var layout = new RedisLocalLayout(port, directory.Path);
        layout.WriteFiles();

        var server = new LocalRedisServer(layout, directory, options);
        try
        {
            await server.StartAsync(cancellationToken).ConfigureAwait(false);
            return server;
        }
        catch
        {
            await server.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Starts the server (again) on the same port and data; returns once it answers PING.</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        if (_server is not null)
        {
            throw new InvalidOperationException($"Redis on port {Port} is already running.");
        }

        _server = ServerProcess.Start($"redis:{Port}", _layout.ServerLaunch(), _options.Output);
        await Readiness.WaitAsync(
            _server,
            ct => RedisProbe.IsReadyAsync(Loopback.Address, Port, Readiness.ProbeTimeout, ct),
            _options.ReadinessTimeout,
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Stops the server; <see cref="StartAsync"/> brings it back with its data.</summary>
    public async Task StopAsync(ServerStopMode mode = ServerStopMode.Graceful)
    {
        if (_server is { } server)
        {
            _server = null;
            await server.StopAsync(mode, _options.StopGracePeriod).ConfigureAwait(false);
            await server.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public async Task RestartAsync(
        ServerStopMode mode = ServerStopMode.Graceful, CancellationToken cancellationToken = default)
    {
        await StopAsync(mode).ConfigureAwait(false);
        await StartAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Stops the server and deletes its data directory.</summary>
    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        _directory.Dispose();
    }
}
