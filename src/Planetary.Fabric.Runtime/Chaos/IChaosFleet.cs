using Planetary.Fabric.Chaos;

namespace Planetary.Fabric.Runtime.Chaos;

/// <summary>The fleet did not answer (owner control down or restarting, a server away); the same call may be tried again.</summary>
public sealed class ChaosFleetUnavailableException(string message, Exception? cause = null) : Exception(message, cause);

/// <summary>What the fabric said to a cancellation: requested (it went to the router holding the job) or nothing to cancel.</summary>
public sealed record ChaosCancelAnswer(bool Requested);

/// <summary>What a fault did: whether there was a target for it, what it hit, and in words what happened.</summary>
public sealed record ChaosInjection(bool Injected, string Target, string Description);

/// <summary>
/// The running fleet as the chaos engine sees it: owner control's job API for the workload and the checker's reads,
/// and the machine's processes for faults. Calls that did not reach the fleet throw
/// <see cref="ChaosFleetUnavailableException"/>; the engine tries them again.
/// </summary>
public interface IChaosFleet
{
    /// <summary>Submits jobs to a shard; says, per job, what the fabric answered.</summary>
    ValueTask<IReadOnlyList<ChaosSubmission>> SubmitAsync(string shard, IReadOnlyList<ChaosJob> jobs, CancellationToken cancellationToken);

    /// <summary>Asks the fabric to cancel a job.</summary>
    ValueTask<ChaosCancelAnswer> CancelAsync(string jobId, CancellationToken cancellationToken);

    /// <summary>A job as the fabric shows it now (status null: unknown to the fabric).</summary>
    ValueTask<ChaosJobState> LookUpAsync(string jobId, CancellationToken cancellationToken);

    /// <summary>Injects a fault and returns once it is done (a paused process resumed, a restarted fleet started).</summary>
    ValueTask<ChaosInjection> InjectAsync(ChaosFault fault, CancellationToken cancellationToken);
}
