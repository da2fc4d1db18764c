using Planetary.Fabric.Chaos;

namespace Planetary.Fabric.Runtime.Chaos;

/// <summary>
/// A chaos run: for how long faults are injected, the seed of the faults and the workload, which kinds, the fleet's
/// shards with the job templates each can route (quickest first: the probes run it), and the deadlines of recovery (the fleet serves again after a fault) and of the drain
/// (every job taken is finished after the last fault).
/// </summary>
public sealed record ChaosOptions(
    TimeSpan Duration,
    ulong Seed,
    string RunId,
    IReadOnlyList<ChaosFaultKind> Kinds,
    IReadOnlyDictionary<string, IReadOnlyList<string>> TemplatesByShard)
{
    /// <summary>Time between two steps of the workload (a batch each).</summary>
    public TimeSpan StepInterval { get; init; } = TimeSpan.FromMilliseconds(500);

    public TimeSpan RecoveryDeadline { get; init; } = TimeSpan.FromMinutes(3);

    public TimeSpan DrainDeadline { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Time between two looks at the probes after a fault.</summary>
    public TimeSpan ProbeInterval { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Time between two tries of a call the fleet did not answer.</summary>
    public TimeSpan RetryInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Job lookups at a time when the drain and the checker read the fabric.</summary>
    public int LookupConcurrency { get; init; } = 8;

    public ChaosPlanOptions Plan { get; init; } = new();

    public ChaosWorkloadOptions Workload { get; init; } = new();
}
