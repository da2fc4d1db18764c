namespace Planetary.Fabric.Determinism;

/// <summary>
/// A small deterministic random sequence (SplitMix64): the same seed gives the same draws on every machine and
/// every run. The core never uses <see cref="Random"/>.
/// </summary>
public sealed class SeededRandom(ulong seed)
{
    private ulong _state = seed;

    public ulong NextULong()
    {
        _state += 0x9E3779B97F4A7C15UL;
        return StableHash.Mix(_state);
    }

    /// <summary>A draw in [0, 1).</summary>
    public double NextDouble() => (NextULong() >> 11) * (1.0 / (1UL << 53));

    /// <summary>A draw in [0, maxExclusive).</summary>
    public int NextInt(int maxExclusive)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxExclusive);
        return (int)(NextULong() % (ulong)maxExclusive);
    }

    /// <summary>A draw in [min, max] inclusive.</summary>
    public int NextInt(int min, int max) => min + NextInt(max - min + 1);

    public bool Chance(double probability) => probability > 0 && NextDouble() < probability;

    /// <summary>An independent sequence derived from this seed and a label (so adding draws in one place does not shift another).</summary>
    public static SeededRandom For(ulong seed, string label) => new(StableHash.Of(seed, label));
}

/// <summary>Hashes that are stable across processes (unlike <see cref="string.GetHashCode()"/>).</summary>
public static class StableHash
{
    public static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    public static ulong Of(ulong seed, string text)
    {
        var h = 0xCBF29CE484222325UL ^ Mix(seed);
        foreach (var c in text)
        {
            h = (h ^ c) * 0x100000001B3UL;
        }

        return Mix(h);
    }

    /// <summary>A uniform draw in [0, 1) that depends only on its inputs: the same job attempt on the same node always draws the same.</summary>
    public static double Unit(ulong seed, string a, string b, int n)
    {
        var h = Mix(Of(Of(seed, a), b) + (ulong)n);
        return (h >> 11) * (1.0 / (1UL << 53));
    }
}
