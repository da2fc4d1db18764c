using System.Globalization;
using Planetary.Fabric.Determinism;

namespace Planetary.Fabric.Chaos;

/// <summary>How much a chaos run asks of the fleet while it is being attacked.</summary>
public sealed record ChaosWorkloadOptions(int BatchSize = 8, double DuplicateChance = 0.15, double CancelChance = 0.10);

/// <summary>One job of a chaos batch.</summary>
public readonly record struct ChaosJob(string JobId, string Template);

/// <summary>What the nemesis does to the workload at one step.</summary>
public abstract record ChaosWork
{
    /// <summary>New jobs for a shard.</summary>
    public sealed record Submit(string Shard, IReadOnlyList<ChaosJob> Jobs) : ChaosWork;

    /// <summary>An id the fabric was given before, submitted again (as a retrying client would), to its own shard or another.</summary>
    public sealed record Resubmit(string Shard, ChaosJob Job, bool OtherShard) : ChaosWork;

    /// <summary>A cancellation of a job given before.</summary>
    public sealed record Cancel(string JobId) : ChaosWork;
}

/// <summary>
/// The seeded steady stream of a chaos run: a batch of new jobs to a random shard at every step, and now and then a
/// duplicate submit of an earlier id (the same shard or another) and a cancel of an earlier job. Ids are unique to the
/// run (<c>chaos-{run}-{n}</c>), so an earlier run's retained ids never make this run's jobs "known".
/// </summary>
public sealed class ChaosWorkload
{
    private readonly SeededRandom _random;
    private readonly string _runId;
    private readonly IReadOnlyList<string> _shards;
    private readonly IReadOnlyList<string> _templates;
    private readonly ChaosWorkloadOptions _options;
    private readonly List<(string Shard, ChaosJob Job)> _given = [];
    private const int RecentJobs = 64;
    private int _next;

    public ChaosWorkload(ulong seed, string runId, IReadOnlyList<string> shards, IReadOnlyList<string> templates, ChaosWorkloadOptions? options = null)
    {
        if (shards.Count == 0 || templates.Count == 0)
        {
            throw new ArgumentException("A chaos workload needs at least one shard and one job template.");
        }

        _random = SeededRandom.For(seed, "chaos-workload");
        _runId = runId;
        _shards = shards;
        _templates = templates;
        _options = options ?? new ChaosWorkloadOptions();
    }

    public IReadOnlyList<string> Shards => _shards;

    /// <summary>A new id of this run.</summary>
    public string NewId(string kind = "") => string.Create(CultureInfo.InvariantCulture, $"chaos-{_runId}-{kind}{_next++:D7}");

    /// <summary>The work of the next step: a batch of new jobs, perhaps followed by a duplicate submit and a cancel.</summary>
    public IReadOnlyList<ChaosWork> Next()
    {
        var work = new List<ChaosWork>(3);
        var shard = _shards[_random.NextInt(_shards.Count)];
        var jobs = new ChaosJob[_options.BatchSize];
        for (var i = 0; i < jobs.Length; i++)
        {
            jobs[i] = new ChaosJob(NewId(), _templates[_random.NextInt(_templates.Count)]);
        }

        work.Add(new ChaosWork.Submit(shard, jobs));
        if (_given.Count > 0 && _random.Chance(_options.DuplicateChance))
        {
            var (givenShard, job) = _given[_random.NextInt(_given.Count)];
            var otherShard = _shards.Count > 1 && _random.Chance(0.5);
            var target = otherShard ? _shards.Where(s => s != givenShard).ElementAt(_random.NextInt(_shards.Count - 1)) : givenShard;
            work.Add(new ChaosWork.Resubmit(target, job, otherShard));
        }

        if (_given.Count > 0 && _random.Chance(_options.CancelChance))
        {
            // A recent job: one likely still queued or running, so the cancellation has something to stop.
            var recent = _given[_given.Count - 1 - _random.NextInt(Math.Min(RecentJobs, _given.Count))];
            work.Add(new ChaosWork.Cancel(recent.Job.JobId));
        }

        foreach (var job in jobs)
        {
            _given.Add((shard, job));
        }

        return work;
    }
}
