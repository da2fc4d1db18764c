using System.Diagnostics;
using System.Diagnostics.Metrics;
using Planetary.Fabric.Agents;

namespace Planetary.NodeAgent;

/// <summary>The agent's activity source and meter (<c>Planetary.NodeAgent</c>): running work, outcomes, health.</summary>
public sealed class AgentTelemetry : IDisposable
{
    public const string Name = "Planetary.NodeAgent";

    private readonly Meter _meter;
    private readonly Counter<long> _succeeded;
    private readonly Counter<long> _failed;
    private readonly KeyValuePair<string, object?> _nodeTag;
    private readonly KeyValuePair<string, object?> _shardTag;
    private volatile Gauges _gauges = new(0, 0, true);

    public AgentTelemetry(IMeterFactory meters, string nodeId, string shardId)
    {
        _nodeTag = new("node", nodeId);
        _shardTag = new("shard", shardId);
        _meter = meters.Create(Name);
        _succeeded = _meter.CreateCounter<long>("fabric.node.attempts.succeeded", "{attempt}", "Attempts this node finished successfully.");
        _failed = _meter.CreateCounter<long>("fabric.node.attempts.failed", "{attempt}", "Attempts this node finished with a failure or refused.");
        _meter.CreateObservableGauge("fabric.node.running", () => new Measurement<int>(_gauges.Running, _nodeTag, _shardTag), "{attempt}", "Attempts running on this node.");
        _meter.CreateObservableGauge("fabric.node.slots", () => new Measurement<int>(_gauges.Slots, _nodeTag, _shardTag), "{slot}", "This node's concurrency.");
        _meter.CreateObservableGauge("fabric.node.online", () => new Measurement<int>(_gauges.Online ? 1 : 0, _nodeTag, _shardTag), "1", "1 while the node heartbeats, 0 during an outage.");
    }

    public ActivitySource Source { get; } = new(Name);

    public void Observed(Fabric.Agents.NodeAgent agent, long succeeded, long failed)
    {
        if (succeeded > 0)
        {
            _succeeded.Add(succeeded, _nodeTag, _shardTag);
        }

        if (failed > 0)
        {
            _failed.Add(failed, _nodeTag, _shardTag);
        }

        _gauges = new Gauges(agent.RunningCount, agent.Spec.Concurrency, agent.Online);
    }

    public void Dispose()
    {
        Source.Dispose();
        _meter.Dispose();
    }

    private sealed record Gauges(int Running, int Slots, bool Online);
}
