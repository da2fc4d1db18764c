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
/// The seeded steady stream of a chaos run: a batch of new jobs to a random shard at every step (templates that shard
/// can route, see <see cref="ChaosTemplates"/>), and now and then a duplicate submit of an earlier id (the same shard
/// or another) and a cancel of a job of the batch just given (so it is likely still queued or running). Ids are unique
/// to the run (<c>chaos-{run}-{n}</c>), so an earlier run's retained ids never make this run's jobs "known".
/// </summary>
public sealed class ChaosWorkload
{
    private readonly SeededRandom _random;
    private readonly string _runId;
    private readonly IReadOnlyList<string> _shards;
    private readonly IReadOnlyDictionary<string, IReadOnlyList<string>> _templates;
    private readonly ChaosWorkloadOptions _options;
    private readonly List<(string Shard, ChaosJob Job)> _given = [];
    private int _next;

    public ChaosWorkload(ulong seed, string runId, IReadOnlyDictionary<string, IReadOnlyList<string>> templatesByShard, ChaosWorkloadOptions? options = null)
    {
        _shards = templatesByShard.Where(t => t.Value.Count > 0).Select(t => t.Key).Order(StringComparer.Ordinal).ToArray();
        if (_shards.Count == 0)
        {
            throw new ArgumentException("A chaos workload needs a shard with a job template it can route.");
        }

        _random = SeededRandom.For(seed, "chaos-workload");
        _runId = runId;
        _templates = templatesByShard;
        _options = options ?? new ChaosWorkloadOptions();
    }

    public IReadOnlyList<string> Shards => _shards;

    /// <summary>The quickest template a shard can route (what the engine's probes run).</summary>
    public string ProbeTemplate(string shard) => _templates[shard][0];

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
            var templates = _templates[shard];
            jobs[i] = new ChaosJob(NewId(), templates[_random.NextInt(templates.Count)]);
        }

        work.Add(new ChaosWork.Submit(shard, jobs));
        if (_given.Count > 0 && _random.Chance(_options.DuplicateChance))
        {
            var (givenShard, job) = _given[_random.NextInt(_given.Count)];
            var others = _shards.Where(s => s != givenShard).ToArray();
            var otherShard = others.Length > 0 && _random.Chance(0.5);
            var target = otherShard ? others[_random.NextInt(others.Length)] : givenShard;
            work.Add(new ChaosWork.Resubmit(target, job, otherShard));
        }

        if (_random.Chance(_options.CancelChance))
        {
            work.Add(new ChaosWork.Cancel(jobs[_random.NextInt(jobs.Length)].JobId));
        }

        foreach (var job in jobs)
        {
            _given.Add((shard, job));
        }

        return work;
    }
}
