using Planetary.Contracts;
using Planetary.Fabric.Determinism;
using Planetary.Fabric.Effects;
using Planetary.Fabric.Manifest;
using Planetary.Fabric.Parameters;

namespace Planetary.Fabric.Agents;

/// <summary>
/// The node agent state machine. It runs assigned attempts as simulated work: an attempt takes its template's
/// duration × the time scale in ticks, and succeeds when a draw seeded by (seed, node, job, attempt) falls below the
/// node's reliability. Results are resent until the router acknowledges them. A node holds no durable state: a
/// restarted agent registers afresh and its router re-queues whatever it no longer runs.
/// </summary>
public sealed class NodeAgent
{
    private readonly SortedDictionary<string, RunningAttempt> _running = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, PendingResult> _outbox = new(StringComparer.Ordinal);
    private readonly ulong _seed;

    public NodeAgent(string nodeId, FabricManifest manifest, long parameterVersion, ulong seed)
    {
        var spec = manifest.FindNode(nodeId) ?? throw new ArgumentException($"Node '{nodeId}' is not in the manifest.", nameof(nodeId));
        NodeId = nodeId;
        ShardId = spec.Shard;
        Manifest = manifest;
        ParameterVersion = parameterVersion;
        _seed = seed;
    }

    public string NodeId { get; }

    public string ShardId { get; }

    public string ServiceName => $"node:{NodeId}";

    public FabricManifest Manifest { get; private set; }

    public long ParameterVersion { get; private set; }

    public NodeSpec Spec => Manifest.FindNode(NodeId)!;

    public bool Online { get; private set; } = true;

    public long OfflineUntilTick { get; private set; }

    public NodeStatistics Statistics { get; } = new();

    public int RunningCount => _running.Count;

    public IEnumerable<JobAttemptRef> Running => _running.Select(r => new JobAttemptRef(r.Key, r.Value.Attempt));

    public int UnacknowledgedResults => _outbox.Count;

    private long _lastHeartbeatTick = long.MinValue / 2;

    /// <summary>Announces the node to its router (on start, and when it comes back from an outage).</summary>
    public IReadOnlyList<Effect> Start(long tick)
    {
        var effects = new List<Effect>
        {
            new Send(Address.Router(ShardId), new RegisterNode(ShardId, NodeId, Spec.Capabilities, Spec.Concurrency, Spec.Reliability, ParameterVersion)),
        };
        Heartbeat(effects, tick);
        return effects;
    }

    public IReadOnlyList<Effect> Handle(AgentInput input, long tick)
    {
        var effects = new List<Effect>();
        switch (input)
        {
            case AgentInput.Assign { Assignments: var m }:
                if (m.NodeId == NodeId)
                {
                    OnAssign(effects, m, tick);
                }

                break;
            case AgentInput.Acknowledge { Acknowledged: var m }:
                if (m.NodeId == NodeId)
                {
                    foreach (var r in m.Results)
                    {
                        if (_outbox.TryGetValue(r.JobId, out var pending) && pending.Result.Attempt == r.Attempt)
                        {
                            _outbox.Remove(r.JobId);
                        }
                    }
                }

                break;
            case AgentInput.TakeOffline { Request: var m }:
                if (m.NodeId == NodeId)
                {
                    GoOffline(m.Ticks, tick);
                }

                break;
            case AgentInput.Stop { Request: var m }:
                if (m.NodeId == NodeId)
                {
                    foreach (var stop in m.Attempts)
                    {
                        if (_running.TryGetValue(stop.JobId, out var running) && running.Attempt == stop.Attempt)
                        {
                            _running.Remove(stop.JobId); // its slot is free at once; no result is reported
                            Statistics.Stopped++;
                        }
                    }
                }

                break;
            case AgentInput.Parameters { Published: var m }:
                if (m.Version > ParameterVersion)
                {
                    Manifest = ParameterCatalog.ApplyAll(Manifest, m.Values);
                    ParameterVersion = m.Version;
                    if (Online)
                    {
                        Heartbeat(effects, tick); // tell the router our new slots and capabilities at once
                    }
                }

                effects.Add(new Publish(new ParametersApplied(ServiceName, ParameterVersion)));
                break;
            default:
                throw new ArgumentException($"A node agent does not handle {input.GetType().Name}.", nameof(input));
        }

        return effects;
    }

    public IReadOnlyList<Effect> Tick(long tick)
    {
        var effects = new List<Effect>();
        if (!Online)
        {
            if (tick >= OfflineUntilTick)
            {
                Online = true;
                effects.AddRange(Start(tick));
            }

            return effects;
        }

        var finished = new List<JobResult>();
        foreach (var (jobId, attempt) in _running.ToArray())
        {
            if (attempt.FinishTick <= tick)
            {
                _running.Remove(jobId);
                finished.Add(Finish(jobId, attempt, tick));
            }
        }

        var resend = _outbox.Values
            .Where(p => tick - p.LastSentTick >= Manifest.Routers.HeartbeatIntervalTicks * 2)
            .Select(p => p.Result)
            .ToList();
        foreach (var r in resend)
        {
            _outbox[r.JobId] = _outbox[r.JobId] with { LastSentTick = tick };
        }

        finished.AddRange(resend);
        if (finished.Count > 0)
        {
            effects.Add(new Send(Address.Router(ShardId), new ReportJobResults(ShardId, NodeId, finished)));
        }

        if (tick - _lastHeartbeatTick >= Manifest.Routers.HeartbeatIntervalTicks)
        {
            Heartbeat(effects, tick);
        }

        return effects;
    }

    /// <summary>A drill fault: go silent for <paramref name="ticks"/> ticks, losing running work and unsent results.</summary>
    public void GoOffline(int ticks, long tick)
    {
        Statistics.Lost += _running.Count;
        _running.Clear();
        _outbox.Clear();
        Online = false;
        OfflineUntilTick = tick + Math.Max(1, ticks);
        Statistics.Outages++;
    }

    private void OnAssign(List<Effect> effects, AssignJobs m, long tick)
    {
        if (!Online)
        {
            return; // a silent node hears nothing; its router will notice
        }

        var immediate = new List<JobResult>();
        var spec = Spec;
        foreach (var a in m.Assignments)
        {
            if ((_running.TryGetValue(a.JobId, out var existing) && existing.Attempt >= a.Attempt)
                || (_outbox.TryGetValue(a.JobId, out var done) && done.Result.Attempt >= a.Attempt))
            {
                continue; // a redelivered assignment
            }

            if (!a.Capabilities.All(c => spec.Capabilities.Contains(c, StringComparer.Ordinal)))
            {
                Statistics.Rejected++;
                immediate.Add(Record(new JobResult(a.JobId, a.Attempt, false, $"node {NodeId} lacks a capability of {a.Template}"), tick));
                continue;
            }

            if (_running.Count >= spec.Concurrency && !_running.ContainsKey(a.JobId))
            {
                Statistics.Rejected++;
                immediate.Add(Record(new JobResult(a.JobId, a.Attempt, false, $"node {NodeId} has no free slot"), tick));
                continue;
            }

            var ticks = RunTicks(a.DurationTicks, Manifest.Execution.TimeScale);
            var succeeds = StableHash.Unit(_seed, NodeId, a.JobId, a.Attempt) < spec.Reliability;
            var attempt = new RunningAttempt(a.Attempt, tick, tick + ticks, succeeds, a.Template, a.TraceParent);
            Statistics.Started++;
            Statistics.BusyTicks += ticks;
            if (ticks == 0)
            {
                _running.Remove(a.JobId); // an older attempt of the same job is replaced here too
                immediate.Add(Finish(a.JobId, attempt, tick));
            }
            else
            {
                _running[a.JobId] = attempt; // a newer attempt of the same job replaces an older one
            }
        }

        if (immediate.Count > 0)
        {
            effects.Add(new Send(Address.Router(ShardId), new ReportJobResults(ShardId, NodeId, immediate)));
        }
    }

    /// <summary>
    /// Duration × time scale, rounded up to whole ticks. A product that is an integer up to floating-point error
    /// (100 × 0.07 = 7.000000000000001) is not rounded up a whole tick.
    /// </summary>
    internal static long RunTicks(int durationTicks, double timeScale)
    {
        var exact = durationTicks * timeScale;
        return (long)Math.Ceiling(exact - (Math.Abs(exact) * 1e-12));
    }

    private JobResult Finish(string jobId, RunningAttempt attempt, long tick)
    {
        if (attempt.Succeeds)
        {
            Statistics.Succeeded++;
        }
        else
        {
            Statistics.Failed++;
        }

        return Record(new JobResult(jobId, attempt.Attempt, attempt.Succeeds, attempt.Succeeds ? null : $"{attempt.Template} failed on {NodeId}"), tick);
    }

    private JobResult Record(JobResult result, long tick)
    {
        _outbox[result.JobId] = new PendingResult(result, tick);
        return result;
    }

    private void Heartbeat(List<Effect> effects, long tick)
    {
        _lastHeartbeatTick = tick;
        var spec = Spec;
        effects.Add(new Send(
            Address.Router(ShardId),
            new NodeHeartbeat(ShardId, NodeId, spec.Capabilities, spec.Concurrency, ParameterVersion, Running.ToArray())));
    }

    /// <summary>The agent's own account of itself (the adapter fills in its process identity).</summary>
    public NodeStatusReported StatusReport(string instanceId, int processId) => new(
        NodeId,
        ShardId,
        Online,
        _running.Count,
        Spec.Concurrency,
        ParameterVersion,
        Statistics.Started,
        Statistics.Succeeded,
        Statistics.Failed,
        Statistics.Rejected,
        Statistics.Stopped,
        Statistics.Lost,
        Statistics.Outages,
        Statistics.BusyTicks,
        instanceId,
        processId);

    /// <summary>The trace context of a running attempt (for the adapter's execution spans), or null.</summary>
    public string? TraceParentOf(string jobId) => _running.TryGetValue(jobId, out var a) ? a.TraceParent : null;

    private readonly record struct RunningAttempt(int Attempt, long StartedTick, long FinishTick, bool Succeeds, string Template, string? TraceParent);

    private readonly record struct PendingResult(JobResult Result, long LastSentTick);
}

/// <summary>What one node did, counted by the node itself.</summary>
public sealed class NodeStatistics
{
    public long Started { get; set; }

    public long Succeeded { get; set; }

    public long Failed { get; set; }

    public long Rejected { get; set; }

    public long Lost { get; set; }

    public long Outages { get; set; }

    /// <summary>Attempts stopped because their job was cancelled.</summary>
    public long Stopped { get; set; }

    /// <summary>Slot-ticks of work started (duration × attempts), for utilisation.</summary>
    public long BusyTicks { get; set; }
}
