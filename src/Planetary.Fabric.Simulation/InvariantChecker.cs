using Planetary.Contracts;
using Planetary.Fabric.Agents;
using Planetary.Fabric.Journal;
using Planetary.Fabric.Manifest;
using Planetary.Fabric.Routing;
using Planetary.Fabric.Runtime.Ports;

namespace Planetary.Fabric.Simulation;

/// <summary>A broken invariant, with the seed and tick that reproduce it.</summary>
public sealed class SimulationInvariantException(ulong seed, long tick, string message)
    : Exception($"seed {seed}, tick {tick}: {message}")
{
    public ulong Seed { get; } = seed;

    public long Tick { get; } = tick;
}

/// <summary>
/// The fabric's guarantees, checked against durable state (every journal record folded as it is appended, which is
/// what any restart rebuilds) after every tick: no accepted job is lost (it is in the books, or held by a router,
/// possibly mid-transfer); none is finished twice; a job is in one place (held by at most one router, and by none once
/// it finished); no job is accepted from a submission twice; no node runs more attempts than its slots allow; and each
/// router's memory is what replaying its journal gives.
/// </summary>
public sealed class InvariantChecker
{
    private readonly ulong _seed;
    private readonly Dictionary<string, RouterState> _durable = new(StringComparer.Ordinal);
    private readonly RouterState[] _durableStates;
    private readonly HashSet<string> _movedSinceCheck = new(StringComparer.Ordinal);
    private readonly List<string> _movedByEntry = [];
    private readonly HashSet<string> _open = new(StringComparer.Ordinal);
    private readonly HashSet<string> _everSubmitted = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _slotAllowance = new(StringComparer.Ordinal);
    private readonly SnapshotBuffer _expectedBytes = new();
    private readonly SnapshotBuffer _actualBytes = new();

    public InvariantChecker(ulong seed, FabricManifest genesis)
    {
        _seed = seed;
        foreach (var shard in genesis.Shards)
        {
            _durable[shard.Id] = new RouterState(shard.Id, genesis);
        }

        _durableStates = [.. _durable.Values];
    }

    public long Checks { get; private set; }

    public long ReplayChecks { get; private set; }

    /// <summary>Accepted jobs not yet finished.</summary>
    public int Open => _open.Count;

    public long Tick { get; set; }

    /// <summary>Each shard's state as its durable journal says.</summary>
    public IReadOnlyDictionary<string, RouterState> Durable => _durable;

    /// <summary>Folds a record the moment it is durable, checking what it says as it goes.</summary>
    public void OnAppended(string shardId, JournalRecord record)
    {
        var state = _durable[shardId];
        foreach (var entry in record.Entries)
        {
            switch (entry)
            {
                case JobAccepted { FromShard: null } accepted:
                    if (!_everSubmitted.Add(accepted.JobId))
                    {
                        Fail($"job {accepted.JobId} was accepted from a submission twice (now by {shardId})");
                    }

                    _open.Add(accepted.JobId);
                    break;
                case JobCompleted or JobFailed or JobCancelled:
                    var jobId = entry switch { JobCompleted c => c.JobId, JobFailed f => f.JobId, _ => ((JobCancelled)entry).JobId };
                    if (!_open.Remove(jobId) && _everSubmitted.Contains(jobId))
                    {
                        Fail($"job {jobId} finished twice (again on {shardId} by {entry.GetType().Name})");
                    }

                    foreach (var (other, otherState) in _durable)
                    {
                        if (other != shardId && otherState.Jobs.TryGetValue(jobId, out var held) && held.Status != RouterJobStatus.InTransfer)
                        {
                            Fail($"job {jobId} finished on {shardId} while {other} holds it ({held.Status})");
                        }
                    }

                    break;
            }

            _movedByEntry.Clear();
            JournalEntryJobs.AppendTo(entry, _movedByEntry);
            _movedSinceCheck.UnionWith(_movedByEntry);
            try
            {
                state.Apply(entry);
            }
            catch (InvariantViolationException e)
            {
                Fail($"the journal of {shardId} does not fold: {e.Message}");
            }
        }
    }

    /// <summary>The books already held outcomes of a commit: a job finished twice.</summary>
    public void OnOutcomesAlreadyInBooks(IReadOnlyList<JobOutcome> outcomes) =>
        Fail($"the books already held an outcome of [{string.Join(", ", outcomes.Select(o => o.JobId))}]: a job finished twice");

    public void Check(IEnumerable<NodeAgent> agents, bool everyJob = false) => Check(agents.Select(a => (a.NodeId, a.RunningCount, a.Spec.Concurrency)), everyJob);

    /// <summary>
    /// Checks every guarantee over durable state, and each node's running attempts against its slots. Where jobs are
    /// is checked for the jobs the journal moved since the previous check (only an entry that moves a job can lose it
    /// or put it in two places: <see cref="JournalEntryJobs"/>), or for every open job when <paramref name="everyJob"/>.
    /// </summary>
    public void Check(IEnumerable<(string NodeId, int Running, int Slots)> nodes, bool everyJob = false)
    {
        Checks++;
        try
        {
            foreach (var jobId in everyJob ? _open : _movedSinceCheck)
            {
                if (everyJob || _open.Contains(jobId))
                {
                    CheckPlace(jobId);
                }
            }
        }
        finally
        {
            _movedSinceCheck.Clear(); // a check consumes the moves before it, whatever it found
        }

        foreach (var (nodeId, running, slots) in nodes)
        {
            var allowance = _slotAllowance.TryGetValue(nodeId, out var a) ? Math.Max(a, slots) : slots;
            if (running <= slots)
            {
                allowance = slots; // drained below a lowered concurrency: the new limit holds from now on
            }

            _slotAllowance[nodeId] = allowance;
            if (running > allowance)
            {
                Fail($"node {nodeId} runs {running} attempts with {allowance} slots");
            }
        }
    }

    /// <summary>An open job is held by exactly one router, or is on its way between two.</summary>
    private void CheckPlace(string jobId)
    {
        var holders = 0;
        var inTransfer = 0;
        foreach (var state in _durableStates)
        {
            if (state.Jobs.TryGetValue(jobId, out var job))
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
            Fail($"job {jobId} is held by {holders} routers at once");
        }

        if (holders + inTransfer == 0)
        {
            Fail($"job {jobId} was lost: accepted, not finished, and held by no router");
        }
    }

    /// <summary>A router's memory must be exactly what its durable journal folds to (anything else would not survive a restart).</summary>
    public void CheckReplay(string shardId, RouterState live)
    {
        ReplayChecks++;
        var expectedSpan = _expectedBytes.Write(RouterSnapshot.Capture(_durable[shardId]));
        var actualSpan = _actualBytes.Write(RouterSnapshot.Capture(live));
        if (!expectedSpan.SequenceEqual(actualSpan))
        {
            var expected = expectedSpan.ToArray();
            var actual = actualSpan.ToArray();
            var at = expected.AsSpan().CommonPrefixLength(actual);
            string Around(byte[] bytes) => System.Text.Encoding.UTF8.GetString(bytes, Math.Max(0, at - 60), Math.Min(bytes.Length - Math.Max(0, at - 60), 160));
            Fail($"router {shardId}'s memory differs from replaying its journal at byte {at}: memory …{Around(actual)}… journal …{Around(expected)}…");
        }
    }

    private void Fail(string message) => throw new SimulationInvariantException(_seed, Tick, message);
}
