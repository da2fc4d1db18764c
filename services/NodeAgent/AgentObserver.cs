using System.Diagnostics;
using Planetary.Contracts;
using Planetary.Fabric.Agents;
using Planetary.Fabric.Effects;
using Planetary.Fabric.Hosting.Telemetry;
using Planetary.Fabric.Runtime.Agents;

namespace Planetary.NodeAgent;

/// <summary>What the live agent reports of its shell: one "job executed" span per finished attempt in the job's own trace, meters, logs.</summary>
internal sealed partial class AgentObserver(string nodeId, AgentTelemetry telemetry, TimeProvider time, ILogger logger) : IAgentShellObserver
{
    private readonly Dictionary<(string JobId, int Attempt), (string TraceParent, DateTimeOffset Started)> _traced = [];

    public void Started(Fabric.Agents.NodeAgent agent) => LogStarted(nodeId, agent.ShardId, agent.ParameterVersion, agent.Spec.Concurrency);

    public void Processed(Fabric.Agents.NodeAgent agent, IReadOnlyList<AgentWork> batch, IReadOnlyList<Effect> effects)
    {
        var now = time.GetUtcNow();
        foreach (var work in batch)
        {
            switch (work)
            {
                case AgentWork.Input { Message: AgentInput.Assign { Assignments: var assign } }:
                    foreach (var a in assign.Assignments.Where(a => a.TraceParent is not null))
                    {
                        _traced.TryAdd((a.JobId, a.Attempt), (a.TraceParent!, now));
                    }

                    break;
                case AgentWork.Input { Message: AgentInput.TakeOffline { Request: var offline } } when offline.NodeId == nodeId:
                    LogOffline(nodeId, offline.Ticks, offline.Actor);
                    _traced.Clear();
                    break;
            }
        }

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
                    span?.SetTag("planetary.node", nodeId);
                    span?.SetTag("planetary.job.attempt", result.Attempt);
                    if (!result.Succeeded)
                    {
                        span?.SetStatus(ActivityStatusCode.Error, result.FailureReason);
                    }
                }
            }
        }

        telemetry.Observed(agent, succeeded, failed);
    }

    public void DispatchRetry(int attempt, Exception error) => LogDispatchRetry(nodeId, attempt, error.Message);

    public void Quarantined(AgentInput input, string problem) => LogQuarantined(nodeId, input.Message.GetType().Name, problem);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Node {NodeId}: a malformed {MessageType} was quarantined in the error queue: {Problem}")]
    private partial void LogQuarantined(string nodeId, string messageType, string problem);

    [LoggerMessage(Level = LogLevel.Information, Message = "Node {NodeId} of {ShardId} started at parameter version {Version} with {Slots} slots")]
    private partial void LogStarted(string nodeId, string shardId, long version, int slots);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Node {NodeId} goes offline for {Ticks} ticks (requested by {Actor}); its running attempts are lost")]
    private partial void LogOffline(string nodeId, int ticks, string actor);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Node {NodeId}: sending failed (attempt {Attempt}): {Error}; retrying")]
    private partial void LogDispatchRetry(string nodeId, int attempt, string error);
}
