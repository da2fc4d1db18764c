using System.Collections;

namespace Planetary.Fabric.Simulation.Ports;

/// <summary>
/// An append-only list kept in fixed chunks: growing it never copies what it holds nor allocates one huge array (a
/// 40,000-job drill records about 250,000 timeline events; a plain list doubling to that churns the large-object heap).
/// </summary>
internal sealed class ChunkedList<T> : IReadOnlyList<T>
{
    private const int ChunkSize = 16_384;
    private readonly List<T[]> _chunks = [];

    public int Count { get; private set; }

    public T this[int index] =>
        (uint)index < (uint)Count ? _chunks[index / ChunkSize][index % ChunkSize] : throw new ArgumentOutOfRangeException(nameof(index));

    public void Add(T item)
    {
        var offset = Count % ChunkSize;
        if (offset == 0)
        {
            _chunks.Add(new T[ChunkSize]);
        }

        _chunks[^1][offset] = item;
        Count++;
    }

    public void AddRange(IEnumerable<T> items)
    {
        foreach (var item in items)
        {
            Add(item);
        }
    }

    public IEnumerator<T> GetEnumerator()
    {
        for (var i = 0; i < Count; i++)
        {
            yield return _chunks[i / ChunkSize][i % ChunkSize];
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
