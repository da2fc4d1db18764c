using System.Collections.Concurrent;

namespace Planetary.OwnerControl.Drills;

/// <summary>
/// The drills owner control remembers: at most <c>keep</c>, the newest by start; adding one forgets the oldest beyond
/// the bound (the newest, which is the running one, is never forgotten). Safe for concurrent readers.
/// </summary>
public sealed class DrillHistory<TDrill>(int keep, Func<TDrill, string> idOf, Func<TDrill, long> startedAtOf) where TDrill : class
{
    private readonly ConcurrentDictionary<string, TDrill> _drills = new(StringComparer.Ordinal);
    private readonly int _keep = Math.Max(1, keep);

    public int Count => _drills.Count;

    public void Add(TDrill drill)
    {
        _drills[idOf(drill)] = drill;
        foreach (var old in _drills.Values.OrderByDescending(startedAtOf).ThenByDescending(idOf, StringComparer.Ordinal).Skip(_keep).ToArray())
        {
            _drills.TryRemove(idOf(old), out _);
        }
    }

    public TDrill? Find(string id) => _drills.GetValueOrDefault(id);

    /// <summary>Oldest first.</summary>
    public IReadOnlyList<TDrill> All() => _drills.Values.OrderBy(startedAtOf).ThenBy(idOf, StringComparer.Ordinal).ToArray();
}
