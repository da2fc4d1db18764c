using Planetary.LocalServers;
using Planetary.LocalServers.Probes;
using Planetary.Testing.Processes;

namespace Planetary.Testing.Local;

/// <summary>
/// A RabbitMQ node as a child process on free loopback ports, with its own epmd and private directories.
/// Ready when it answers the AMQP protocol header. Restarts keep the port and the mnesia directory, so
/// durable queues and persistent messages survive.
/// </summary>
public sealed class LocalRabbitMqServer : IFabricServer
{
    private readonly RabbitMqLocalLayout _layout;
    private readonly ScratchDirectory _directory;
    private readonly LocalServerOptions _options;
    private readonly ServerProcess _epmd;
    private ServerProcess? _broker;

    private LocalRabbitMqServer(
        RabbitMqLocalLayout layout, ScratchDirectory directory, LocalServerOptions options, ServerProcess epmd)
    {
        _layout = layout;
        _directory = directory;
        _options = options;
        _epmd = epmd;
    }

    /// <inheritdoc />
    public string ConnectionString => _layout.ConnectionString;

    /// <summary>The AMQP port.</summary>
    public int Port => _layout.Ports.Amqp;

    /// <summary>PID of the Erlang VM, or null while stopped.</summary>
    public int? ProcessId => _broker?.ProcessId;

    /// <summary>Starts epmd and the broker, and returns once the broker speaks AMQP.</summary>
    public static async Task<LocalRabbitMqServer> StartNewAsync(
        LocalServerOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new LocalServerOptions();
        ServerExecutables.Default.EnsureInstalled();
        var ports = FreeLoopbackPorts.Take(3);
        var directory = ScratchDirectory.Create($"rabbitmq-{ports[0]}", options.StateRoot);
        var layout = new RabbitMqLocalLayout(new RabbitMqPorts(ports[0], ports[1], ports[2]), directory.Path);
        layout.WriteFiles();

        var epmd = ServerProcess.Start($"epmd:{layout.Ports.Epmd}", layout.EpmdLaunch(), options.Output);
        var server = new LocalRabbitMqServer(layout, directory, options, epmd);
        try
        {
            await Readiness.WaitAsync(
                epmd,
                ct => EpmdProbe.IsReadyAsync(Loopback.Address, layout.Ports.Epmd, Readiness.ProbeTimeout, ct),
                options.ReadinessTimeout,
                cancellationToken).ConfigureAwait(false);
            await server.StartAsync(cancellationToken).ConfigureAwait(false);
            return server;
        }
        catch
        {
            await server.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Starts the broker (again) on the same port and data; returns once it speaks AMQP.</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        if (_broker is not null)
        {
            throw new InvalidOperationException($"RabbitMQ on port {Port} is already running.");
        }

        _broker = ServerProcess.Start($"rabbitmq:{Port}", _layout.ServerLaunch(), _options.Output);
        await Readiness.WaitAsync(
            _broker,
            ct => AmqpProbe.IsReadyAsync(Loopback.Address, Port, Readiness.ProbeTimeout, ct),
            _options.ReadinessTimeout,
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Stops the broker (epmd keeps running); <see cref="StartAsync"/> brings it back.</summary>
    public async Task StopAsync(ServerStopMode mode = ServerStopMode.Graceful)
    {
        if (_broker is { } broker)
        {
            _broker = null;
            await broker.StopAsync(mode, _options.StopGracePeriod).ConfigureAwait(false);
            await broker.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public async Task RestartAsync(
        ServerStopMode mode = ServerStopMode.Graceful, CancellationToken cancellationToken = default)
    {
        await StopAsync(mode).ConfigureAwait(false);
        await StartAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Stops the broker and its epmd, then deletes the node's directories.</summary>
    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        await _epmd.DisposeAsync().ConfigureAwait(false);
        _directory.Dispose();
    }
}
