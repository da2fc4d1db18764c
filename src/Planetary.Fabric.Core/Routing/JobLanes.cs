namespace Planetary.Fabric.Routing;

/// <summary>
/// The queue of a shard, split into lanes by required capabilities so that assignment never scans jobs no free
/// node can take. Order across lanes is by <see cref="RouterJob.QueueSeq"/>: lower runs first.
/// </summary>
public sealed class JobLanes
{
    private static readonly IComparer<RouterJob> BySeq = Comparer<RouterJob>.Create((a, b) => a.QueueSeq.CompareTo(b.QueueSeq));
    private readonly SortedDictionary<ulong, SortedSet<RouterJob>> _lanes = new();

    public int Count { get; private set; }

    /// <summary>Non-empty lanes by mask, in mask order (deterministic).</summary>
    public IEnumerable<(ulong Mask, SortedSet<RouterJob> Jobs)> Lanes
    {
        get
        {
            foreach (var (mask, jobs) in _lanes)
            {
                if (jobs.Count > 0)
                {
                    yield return (mask, jobs);
                }
            }
        }
    }

    internal void Add(RouterJob job)
    {
        if (!_lanes.TryGetValue(job.Mask, out var lane))
        {
            lane = new SortedSet<RouterJob>(BySeq);
            _lanes[job.Mask] = lane;
        }

        if (!lane.Add(job))
        {
            throw new InvariantViolationException($"job {job.Id} is already queued");
        }

        Count++;
    }

    internal void Remove(RouterJob job)
    {
        if (!_lanes.TryGetValue(job.Mask, out var lane) || !lane.Remove(job))
        {
            throw new InvariantViolationException($"job {job.Id} is not queued");
        }

        Count--;
    }

    /// <summary>Jobs from the back of the queue (newest first) whose lane passes the filter.</summary>
    public IEnumerable<RouterJob> NewestFirst(Func<ulong, bool> laneFilter)
    {
        var lanes = _lanes.Where(l => l.Value.Count > 0 && laneFilter(l.Key)).Select(l => l.Value.Reverse().GetEnumerator()).ToList();
        var heads = new List<(RouterJob Job, IEnumerator<RouterJob> Remaining)>();
        foreach (var lane in lanes)
        {
            if (lane.MoveNext())
            {
                heads.Add((lane.Current, lane));
            }
        }

        while (heads.Count > 0)
        {
            var best = 0;
            for (var i = 1; i < heads.Count; i++)
            {
                if (heads[i].Job.QueueSeq > heads[best].Job.QueueSeq)
                {
                    best = i;
                }
            }

            var (job, rest) = heads[best];
            yield return job;
            if (rest.MoveNext())
            {
                heads[best] = (rest.Current, rest);
            }
            else
            {
                heads.RemoveAt(best);
            }
        }
    }
}

/// <summary>A core rule was broken: a bug, never an input error. Assertions stay on in release builds.</summary>
public sealed class InvariantViolationException(string message) : Exception(message);
