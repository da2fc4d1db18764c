using System.Collections.Concurrent;
using Planetary.Contracts;

namespace Planetary.OwnerControl.Fleet;

/// <summary>
/// What owner control last heard from every service: router status and load, agent status, applied parameter
/// versions, router restarts and checkpoints. Fed by <see cref="FleetConsumer"/>; read by the API and the drills.
/// Everything here is a report from the service itself, never a guess.
/// </summary>
public sealed class FleetView(TimeProvider time)
{
    private readonly ConcurrentDictionary<string, Heard<ShardStatusReported>> _shards = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Heard<ShardLoadReported>> _loads = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Heard<NodeStatusReported>> _nodes = new(StringComparer.Ordinal);
    /// <summary>A service not heard from for this long no longer counts for convergence (it is gone, or renamed).</summary>
    public static readonly TimeSpan ServiceForgottenAfter = TimeSpan.FromMinutes(1);

    private readonly ConcurrentDictionary<string, (long Version, long AtMs)> _appliedVersions = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<RouterResumed> _resumes = new();
    private readonly ConcurrentQueue<CheckpointWritten> _checkpoints = new();

    public event Action<JobsAccepted>? JobsAccepted;

    public IReadOnlyDictionary<string, Heard<ShardStatusReported>> Shards => _shards;

    public IReadOnlyDictionary<string, Heard<ShardLoadReported>> Loads => _loads;

    public IReadOnlyDictionary<string, Heard<NodeStatusReported>> Nodes => _nodes;

    /// <summary>
    /// Service name (<c>router:earth</c>, <c>node:MARS-ARES-01</c>, <c>checkpointer</c>) → parameter version it applied,
    /// for every service heard from within <see cref="ServiceForgottenAfter"/>.
    /// </summary>
    public IReadOnlyDictionary<string, long> AppliedVersions
    {
        get
        {
            var since = Now - (long)ServiceForgottenAfter.TotalMilliseconds;
            return _appliedVersions.Where(s => s.Value.AtMs >= since).ToDictionary(s => s.Key, s => s.Value.Version, StringComparer.Ordinal);
        }
    }

    public IReadOnlyCollection<RouterResumed> Resumes => _resumes;

    public IReadOnlyCollection<CheckpointWritten> Checkpoints => _checkpoints;

    public void Observe(ShardStatusReported status)
    {
        _shards[status.ShardId] = new Heard<ShardStatusReported>(status, Now);
        Applied($"router:{status.ShardId}", status.ParameterVersion);
    }

    public void Observe(ShardLoadReported load) => _loads[load.ShardId] = new Heard<ShardLoadReported>(load, Now);

    public void Observe(NodeStatusReported status)
    {
        _nodes[status.NodeId] = new Heard<NodeStatusReported>(status, Now);
        Applied($"node:{status.NodeId}", status.ParameterVersion);
    }

    public void Observe(ParametersApplied applied) => Applied(applied.Service, applied.Version);

    public void Observe(RouterResumed resumed)
    {
        _resumes.Enqueue(resumed);
        while (_resumes.Count > 1_000 && _resumes.TryDequeue(out _))
        {
        }
    }

    public void Observe(CheckpointWritten written)
    {
        _checkpoints.Enqueue(written);
        while (_checkpoints.Count > 10_000 && _checkpoints.TryDequeue(out _))
        {
        }
    }

    public void Observe(JobsAccepted accepted) => JobsAccepted?.Invoke(accepted);

    private long Now => time.GetUtcNow().ToUnixTimeMilliseconds();

    private void Applied(string service, long version)
    {
        var now = Now;
        _appliedVersions.AddOrUpdate(service, (version, now), (_, known) => (Math.Max(known.Version, version), now));
    }
}

/// <summary>A report and when owner control received it.</summary>
public sealed record Heard<T>(T Report, long AtMs);
