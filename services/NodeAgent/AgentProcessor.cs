using Microsoft.Extensions.Options;
using Planetary.Fabric.Hosting;
using Planetary.Fabric.Hosting.Messaging;
using Planetary.Fabric.Runtime.Agents;
using Planetary.Fabric.Runtime.Ports;

namespace Planetary.NodeAgent;

/// <summary>
/// The agent process's loop around the shared <see cref="AgentShell"/>, bound to Redis (the owner's parameters, read at
/// start) and RabbitMQ. It waits for the state store rather than crash-looping, reports ready once registered, then
/// hands the waiting work to the shell in batches. An agent keeps no durable state: if it dies, its router re-queues
/// whatever it no longer reports.
/// </summary>
public sealed class AgentProcessor(
    ProcessorInbox<AgentWork> inbox,
    ProcessorReadiness readiness,
    GenesisManifest genesis,
    IOptions<FabricOptions> options,
    IParameterSource parameters,
    EffectDispatcher bus,
    IProcessControl process,
    AgentTelemetry telemetry,
    TimeProvider time,
    ILogger<AgentProcessor> logger) : BackgroundService, ITickSource
{
    private const int MaxBatch = 512;
    private readonly string _nodeId = options.Value.NodeId ?? throw new InvalidOperationException("Fabric:NodeId is not set.");
    private AgentShell? _shell;

    public int TickMs => _shell?.TickMs ?? genesis.Manifest.Routers.TickMs;

    public void RequestTick() => inbox.RequestTick();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var shell = new AgentShell(
            _nodeId, genesis.Manifest, new AgentPorts(parameters, bus, process, time), options.Value.Seed,
            new AgentShellOptions { StatusIntervalTicks = options.Value.StatusIntervalTicks },
            new AgentObserver(_nodeId, telemetry, time, logger));
        await StateStoreWait.UntilDoneAsync(() => shell.StartAsync(stoppingToken).AsTask(), $"node {_nodeId}", logger, time, stoppingToken);
        _shell = shell;
        readiness.MarkReady($"node {_nodeId}: registered with {shell.Agent.ShardId} at parameter version {shell.Agent.ParameterVersion}");

        var batch = new List<AgentWork>(MaxBatch);
        while (await inbox.TakeBatchAsync(batch, MaxBatch, stoppingToken))
        {
            await shell.ProcessAsync(batch, stoppingToken);
        }
    }
}
