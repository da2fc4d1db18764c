using Planetary.Fabric.Determinism;

namespace Planetary.Fabric.Chaos;

/// <summary>How often the plan strikes and how long a pause lasts.</summary>
public sealed record ChaosPlanOptions(int MinGapMs = 1_000, int MaxGapMs = 6_000, int MinPauseMs = 2_000, int MaxPauseMs = 8_000);

/// <summary>
/// The seeded order of faults of a chaos run: every kind once in a shuffled first round (so a short run still meets
/// each kind), then kinds drawn at random. The same seed gives the same faults; when each strikes depends on how fast
/// the fleet recovers from the one before (the next fault waits for the fleet to serve again, then a seeded gap).
/// </summary>
public sealed class ChaosPlan
{
    private readonly SeededRandom _random;
    private readonly IReadOnlyList<ChaosFaultKind> _kinds;
    private readonly ChaosPlanOptions _options;
    private readonly Queue<ChaosFaultKind> _firstRound;
    private int _index;

    public ChaosPlan(ulong seed, IReadOnlyList<ChaosFaultKind> kinds, ChaosPlanOptions? options = null)
    {
        if (kinds.Count == 0)
        {
            throw new ArgumentException("A chaos plan needs at least one fault kind.", nameof(kinds));
        }

        _random = SeededRandom.For(seed, "chaos-plan");
        _kinds = kinds.Distinct().ToArray();
        _options = options ?? new ChaosPlanOptions();
        var shuffled = _kinds.ToArray();
        for (var i = shuffled.Length - 1; i > 0; i--)
        {
            var j = _random.NextInt(i + 1);
            (shuffled[i], shuffled[j]) = (shuffled[j], shuffled[i]);
        }

        _firstRound = new Queue<ChaosFaultKind>(shuffled);
    }

    public IReadOnlyList<ChaosFaultKind> Kinds => _kinds;

    /// <summary>Whether a fault of the first round (every kind once) is still to come.</summary>
    public bool InFirstRound => _firstRound.Count > 0;

    /// <summary>The next fault of the plan.</summary>
    public ChaosFault Next()
    {
        var kind = _firstRound.Count > 0 ? _firstRound.Dequeue() : _kinds[_random.NextInt(_kinds.Count)];
        var pick = _random.NextInt(int.MaxValue);
        var pause = _random.NextInt(_options.MinPauseMs, _options.MaxPauseMs);
        var gap = _random.NextInt(_options.MinGapMs, _options.MaxGapMs);
        return new ChaosFault(_index++, kind, pick, pause, gap);
    }
}
