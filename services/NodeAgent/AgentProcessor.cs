using System.Diagnostics;
using Microsoft.Extensions.Options;
using Planetary.Contracts;
using Planetary.Fabric.Effects;
using Planetary.Fabric.Hosting;
using Planetary.Fabric.Hosting.Messaging;
using Planetary.Fabric.Hosting.Redis;
using Planetary.Fabric.Hosting.Telemetry;

namespace Planetary.NodeAgent;

/// <summary>
/// The agent process's single writer: starts the core's NodeAgent with the owner's current parameters (not the
/// manifest's), registers with its router, then feeds it messages and ticks and sends its effects. An agent keeps no
/// durable state: if it dies, its router re-queues whatever it no longer reports.
/// </summary>
public sealed partial class AgentProcessor(
    ProcessorInbox inbox,
    ProcessorReadiness readiness,
    GenesisManifest genesis,
    IOptions<FabricOptions> options,
    ParameterStore parameters,
    EffectDispatcher dispatcher,
    AgentTelemetry telemetry,
    TimeProvider time,
    ILogger<AgentProcessor> logger) : BackgroundService, ITickSource
{
    private const int MaxBatch = 512;
    private readonly string _nodeId = options.Value.NodeId ?? throw new InvalidOperationException("Fabric:NodeId is not set.");
    private readonly string _instanceId = Guid.NewGuid().ToString("N")[..12];
    private readonly Dictionary<(string JobId, int Attempt), (string TraceParent, DateTimeOffset Started)> _traced = [];
    private Fabric.Agents.NodeAgent _agent = null!;
    private long _tick;

    public int TickMs { get; private set; } = 50;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var (manifest, version) = await parameters.CurrentManifestAsync(genesis.Manifest);
        _agent = new Fabric.Agents.NodeAgent(_nodeId, manifest, version, options.Value.Seed);
        TickMs = manifest.Routers.TickMs;
        await DispatchAsync(_agent.Start(_tick), stoppingToken);
        LogStarted(_nodeId, _agent.ShardId, version, _agent.Spec.Concurrency);
        readiness.MarkReady($"node {_nodeId}: registered with {_agent.ShardId} at parameter version {version}");

        var batch = new List<ProcessorInbox.Work>(MaxBatch);
        while (await inbox.Reader.WaitToReadAsync(stoppingToken))
        {
            batch.Clear();
            while (batch.Count < MaxBatch && inbox.Reader.TryRead(out var work))
            {
                batch.Add(work);
            }

            var effects = new List<Effect>();
            foreach (var work in batch)
            {
                effects.AddRange(Run(work));
            }

            // Acknowledge before sending: the agent keeps nothing durable, and what it sends is resent until the router
            // has it (results) or repeats anyway (heartbeats); waiting for the broker inside consumers would deadlock a
            // reconnect (see the router's processor).
            foreach (var work in batch)
            {
                work.Done?.TrySetResult();
            }

            Trace(effects);
            await DispatchAsync(effects, stoppingToken);
            TickMs = _agent.Manifest.Routers.TickMs;
        }
    }

    private IReadOnlyList<Effect> Run(ProcessorInbox.Work work)
    {
        switch (work.Message)
        {
            case null:
                inbox.TickTaken();
                var effects = new List<Effect>(_agent.Tick(++_tick));
                if (_tick % options.Value.StatusIntervalTicks == 0)
                {
                    effects.Add(new Publish(_agent.StatusReport(_instanceId, Environment.ProcessId)));
                }

                return effects;
            case AssignJobs assign:
                var now = time.GetUtcNow();
                foreach (var a in assign.Assignments.Where(a => a.TraceParent is not null))
                {
                    _traced.TryAdd((a.JobId, a.Attempt), (a.TraceParent!, now));
                }

                return _agent.Handle(assign, _tick);
            case TakeNodeOffline offline when offline.NodeId == _nodeId:
                LogOffline(_nodeId, offline.Ticks, offline.Actor, _agent.RunningCount);
                _traced.Clear();
                return _agent.Handle(offline, _tick);
            default:
                return _agent.Handle(work.Message, _tick);
        }
    }

    /// <summary>One "job executed" span per finished attempt, in the job's own trace.</summary>
    private void Trace(List<Effect> effects)
    {
        long succeeded = 0, failed = 0;
        foreach (var effect in effects)
        {
            if (effect is not Send { Message: ReportJobResults report })
            {
                continue;
            }

            foreach (var result in report.Results)
            {
                if (result.Succeeded)
                {
                    succeeded++;
                }
                else
                {
                    failed++;
                }

                if (_traced.Remove((result.JobId, result.Attempt), out var traced))
                {
                    using var span = JobSpans.Start(telemetry.Source, "job executed", traced.TraceParent, result.JobId, traced.Started);
                    span?.SetTag("planetary.node", _nodeId);
                    span?.SetTag("planetary.job.attempt", result.Attempt);
                    if (!result.Succeeded)
                    {
                        span?.SetStatus(ActivityStatusCode.Error, result.FailureReason);
                    }
                }
            }
        }

        telemetry.Observed(_agent, succeeded, failed);
    }

    /// <summary>An agent holds nothing durable: results are resent until acknowledged, heartbeats repeat. It keeps trying.</summary>
    private Task DispatchAsync(IReadOnlyList<Effect> effects, CancellationToken cancellationToken) =>
        dispatcher.DispatchUntilConfirmedAsync(
            effects, time, TimeSpan.FromSeconds(10), giveUpAfter: null, (attempt, e) => LogDispatchRetry(_nodeId, attempt, e.Message), cancellationToken);

    [LoggerMessage(Level = LogLevel.Information, Message = "Node {NodeId} of {ShardId} started at parameter version {Version} with {Slots} slots")]
    private partial void LogStarted(string nodeId, string shardId, long version, int slots);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Node {NodeId} goes offline for {Ticks} ticks (requested by {Actor}); {Running} running attempts are lost")]
    private partial void LogOffline(string nodeId, int ticks, string actor, int running);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Node {NodeId}: sending failed (attempt {Attempt}): {Error}; retrying")]
    private partial void LogDispatchRetry(string nodeId, int attempt, string error);
}
