using Microsoft.Extensions.Options;
using Planetary.Fabric.Hosting;
using Planetary.Fabric.Hosting.Messaging;
using Planetary.Fabric.Runtime.Ports;
using Planetary.Fabric.Runtime.Routers;
using StackExchange.Redis;

namespace Planetary.ShardRouter;

/// <summary>
/// The router process's loop around the shared <see cref="RouterShell"/> (claim, restore, group commit, acknowledge,
/// send: see there), bound to Redis and RabbitMQ. It waits for the state store rather than crash-looping, reports ready
/// once the shell has restored its shard, then takes the waiting work in batches of up to 512 and hands each batch to
/// the shell.
/// </summary>
public sealed class RouterProcessor(
    ProcessorInbox<RouterWork> inbox,
    ProcessorReadiness readiness,
    GenesisManifest genesis,
    IOptions<FabricOptions> options,
    IJournalStore journal,
    IJobRegistry registry,
    ISnapshotStore snapshots,
    IParameterSource parameters,
    EffectDispatcher bus,
    IProcessControl process,
    RouterTelemetry telemetry,
    IConnectionMultiplexer redis,
    TimeProvider time,
    ILogger<RouterProcessor> logger) : BackgroundService, ITickSource
{
    private const int MaxBatch = 512;
    private readonly string _shardId = options.Value.ShardId ?? throw new InvalidOperationException("Fabric:ShardId is not set.");
    private RouterShell? _shell;

    public int TickMs => _shell?.TickMs ?? genesis.Manifest.Routers.TickMs;

    public void RequestTick() => inbox.RequestTick();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var shell = new RouterShell(
            _shardId,
            genesis.Manifest,
            new RouterPorts(journal, registry, snapshots, parameters, bus, process, time),
            new RouterShellOptions { StatusIntervalTicks = options.Value.StatusIntervalTicks },
            new RouterObserver(_shardId, telemetry, logger));
        await StateStoreWait.UntilDoneAsync(
            async () =>
            {
                await genesis.EnsureStateMatchesAsync(redis);
                await shell.StartAsync(stoppingToken);
            },
            $"router {_shardId}", logger, time, stoppingToken);
        _shell = shell;
        var state = shell.Router.State;
        readiness.MarkReady($"router {_shardId}: epoch {shell.Epoch}, {state.Jobs.Count} jobs restored at tick {shell.Tick}");

        var batch = new List<RouterWork>(MaxBatch);
        while (await inbox.TakeBatchAsync(batch, MaxBatch, stoppingToken))
        {
            await shell.ProcessAsync(batch, stoppingToken);
        }
    }
}
