namespace Planetary.Fabric.Reporting;

/// <summary>Collects the queue skew across shards once per tick and summarises it (peak, nearest-rank p95, final).</summary>
public sealed class QueueSkewSampler
{
    private readonly List<int> _samples = [];

    public int Peak { get; private set; }

    public void Sample(IEnumerable<int> queueLengths)
    {
        var min = int.MaxValue;
        var max = int.MinValue;
        foreach (var q in queueLengths)
        {
            min = Math.Min(min, q);
            max = Math.Max(max, q);
        }

        var skew = max < min ? 0 : max - min;
        _samples.Add(skew);
        Peak = Math.Max(Peak, skew);
    }

    public QueueSkewSummary Summarise()
    {
        if (_samples.Count == 0)
        {
            return new QueueSkewSummary(0, 0, 0, 0);
        }

        var sorted = _samples.ToArray();
        Array.Sort(sorted);
        return new QueueSkewSummary(Peak, Percentile.NearestRank(sorted, 0.95), _samples[^1], _samples.Count);
    }
}

public static class Percentile
{
    /// <summary>The nearest-rank percentile of already sorted values.</summary>
    public static T NearestRank<T>(IReadOnlyList<T> sorted, double p)
    {
        if (sorted.Count == 0)
        {
            throw new ArgumentException("No values.", nameof(sorted));
        }

        var rank = (int)Math.Ceiling(p * sorted.Count);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Count - 1)];
    }
}
