using Planetary.Contracts;
using Planetary.Fabric.Agents;
using Planetary.Fabric.Journal;
using Planetary.Fabric.Routing;

namespace Planetary.Fabric.Simulation;

/// <summary>A broken invariant, with the seed and tick that reproduce it.</summary>
public sealed class SimulationInvariantException(ulong seed, long tick, string message)
    : Exception($"seed {seed}, tick {tick}: {message}")
{
    public ulong Seed { get; } = seed;

    public long Tick { get; } = tick;
}

/// <summary>
/// The fabric's guarantees, checked after every tick: no accepted job is lost (it is finished in the books, or
/// held by exactly one router, possibly mid-transfer); none is finished twice; no job is accepted twice; no node
/// runs more attempts than its slots allow.
/// </summary>
public sealed class InvariantChecker(ulong seed)
{
    private readonly HashSet<string> _open = new(StringComparer.Ordinal);
    private readonly Dictionary<string, JobOutcome> _books = new(StringComparer.Ordinal);
    private readonly HashSet<string> _everSubmitted = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _slotAllowance = new(StringComparer.Ordinal);

    public long Checks { get; private set; }

    public IReadOnlyDictionary<string, JobOutcome> Books => _books;

    public int Open => _open.Count;

    /// <summary>Observes entries as they become durable.</summary>
    public void OnJournaled(IReadOnlyList<JournalEntry> entries, long tick)
    {
        foreach (var entry in entries)
        {
            if (entry is JobAccepted { FromShard: null } accepted)
            {
                if (!_everSubmitted.Add(accepted.JobId))
                {
                    throw new SimulationInvariantException(seed, tick, $"job {accepted.JobId} was accepted from a submission twice");
                }

                _open.Add(accepted.JobId);
            }
        }
    }

    /// <summary>Records outcomes in the books: exactly once per job.</summary>
    public void OnFinished(IReadOnlyList<JobOutcome> outcomes, long tick)
    {
        foreach (var outcome in outcomes)
        {
            if (_books.TryGetValue(outcome.JobId, out var earlier))
            {
                throw new SimulationInvariantException(seed, tick,
                    $"job {outcome.JobId} finished twice: {earlier.Kind} on {earlier.ShardId} at tick {earlier.FinishedTick}, then {outcome.Kind} on {outcome.ShardId}");
            }

            _books.Add(outcome.JobId, outcome);
            _open.Remove(outcome.JobId);
        }
    }

    public void Check(long tick, IReadOnlyList<SimulatedRouterProcess> routers, IReadOnlyList<NodeAgent> nodes, Func<string, RouterState?> dormantState)
    {
        Checks++;
        var states = routers.Select(r => r.Router?.State ?? dormantState(r.ShardId)).ToArray();
        foreach (var jobId in _open)
        {
            var holders = 0;
            var inTransfer = 0;
            foreach (var state in states)
            {
                if (state is not null && state.Jobs.TryGetValue(jobId, out var job))
                {
                    if (job.Status == RouterJobStatus.InTransfer)
                    {
                        inTransfer++;
                    }
                    else
                    {
                        holders++;
                    }
                }
            }

            if (holders > 1)
            {
                throw new SimulationInvariantException(seed, tick, $"job {jobId} is held by {holders} routers at once");
            }

            if (holders + inTransfer == 0)
            {
                throw new SimulationInvariantException(seed, tick, $"job {jobId} was lost: accepted, not finished, and held by no router");
            }
        }

        foreach (var node in nodes)
        {
            var slots = node.Spec.Concurrency;
            var allowance = _slotAllowance.TryGetValue(node.NodeId, out var a) ? Math.Max(a, slots) : slots;
            if (node.RunningCount <= slots)
            {
                allowance = slots; // drained below a lowered concurrency: the new limit holds from now on
            }

            _slotAllowance[node.NodeId] = allowance;
            if (node.RunningCount > allowance)
            {
                throw new SimulationInvariantException(seed, tick, $"node {node.NodeId} runs {node.RunningCount} attempts with {allowance} slots");
            }
        }
    }
}
