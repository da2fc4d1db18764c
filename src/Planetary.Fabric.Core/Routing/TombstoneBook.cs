using System.Diagnostics.CodeAnalysis;
using System.Text.Json;

namespace Planetary.Fabric.Routing;

/// <summary>
/// A router's tombstones, by job id and in the order they were made (ticks never decrease): the order drives expiry
/// and the snapshot's columns. A tombstone replaced (the job came back and left again) or removed (it came back) stays
/// in the order, marked dead, until expiry passes it, so <see cref="OldestTick"/> and expiry see the same history a
/// replay does; walking the order needs no lookup per entry.
/// </summary>
public sealed class TombstoneBook : IReadOnlyDictionary<string, Tombstone>
{
    private readonly Dictionary<string, Entry> _byJob = new(StringComparer.Ordinal);
    private readonly Queue<Entry> _order = new();

    /// <summary>Every entry in order, dead ones included (for the snapshot's columns, which skip the dead).</summary>
    internal Queue<Entry> Order => _order;

    public int Count => _byJob.Count;

    /// <summary>The oldest entry's tick (a dead one included), or null when there is none.</summary>
    public long? OldestTick => _order.Count > 0 ? _order.Peek().Stone.Tick : null;

    /// <summary>The live tombstones in the order they were made.</summary>
    public IEnumerable<(string JobId, Tombstone Stone)> InOrder
    {
        get
        {
            foreach (var entry in _order)
            {
                if (entry.Live)
                {
                    yield return (entry.JobId, entry.Stone);
                }
            }
        }
    }

    public Tombstone this[string jobId] => _byJob[jobId].Stone;

    public IEnumerable<string> Keys => _byJob.Keys;

    public IEnumerable<Tombstone> Values => _byJob.Values.Select(e => e.Stone);

    public bool ContainsKey(string jobId) => _byJob.ContainsKey(jobId);

    public bool TryGetValue(string jobId, [MaybeNullWhen(false)] out Tombstone stone)
    {
        if (_byJob.TryGetValue(jobId, out var entry))
        {
            stone = entry.Stone;
            return true;
        }

        stone = default;
        return false;
    }

    /// <summary>Makes (or replaces) the job's tombstone; it joins the end of the order.</summary>
    internal void Set(string jobId, Tombstone stone)
    {
        var entry = new Entry(jobId, stone);
        if (_byJob.Remove(jobId, out var replaced))
        {
            replaced.Live = false;
        }

        _byJob.Add(jobId, entry);
        _order.Enqueue(entry);
    }

    /// <summary>Forgets the job's tombstone (it is live here again).</summary>
    internal void Remove(string jobId)
    {
        if (_byJob.Remove(jobId, out var removed))
        {
            removed.Live = false;
        }
    }

    /// <summary>Forgets every tombstone made at or before the tick.</summary>
    internal void ExpireUpTo(long tick)
    {
        while (_order.Count > 0 && _order.Peek().Stone.Tick <= tick)
        {
            var entry = _order.Dequeue();
            if (entry.Live)
            {
                _byJob.Remove(entry.JobId);
            }
        }
    }

    public IEnumerator<KeyValuePair<string, Tombstone>> GetEnumerator() =>
        _byJob.Select(pair => KeyValuePair.Create(pair.Key, pair.Value.Stone)).GetEnumerator();

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

    internal sealed class Entry(string jobId, Tombstone stone)
    {
        private JsonEncodedText? _jsonJobId;

        public string JobId { get; } = jobId;

        public Tombstone Stone { get; } = stone;

        public bool Live { get; set; } = true;

        /// <summary>
        /// The job id as JSON text, encoded once: a tombstone lives through many snapshots, and encoding its id
        /// again for each was most of what writing a snapshot cost.
        /// </summary>
        public JsonEncodedText JsonJobId => _jsonJobId ??= JsonEncodedText.Encode(JobId);
    }
}
