namespace Planetary.Fabric.Manifest;

/// <summary>
/// Maps capability names to bits so the one capability rule — a node can run a job when it has all the job's
/// capabilities — is a mask test everywhere it is asked.
/// </summary>
public sealed class CapabilityIndex
{
    private readonly Dictionary<string, int> _bits;
    private readonly string[] _names;

    public CapabilityIndex(IReadOnlyList<string> capabilities)
    {
        if (capabilities.Count > ManifestValidator.MaxCapabilities)
        {
            throw new ArgumentException($"At most {ManifestValidator.MaxCapabilities} capabilities are supported.", nameof(capabilities));
        }

        _names = capabilities.ToArray();
        _bits = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < _names.Length; i++)
        {
            _bits[_names[i]] = i;
        }
    }

    /// <summary>The mask of the named capabilities; names this index does not know make the mask unsatisfiable.</summary>
    public ulong MaskOf(IEnumerable<string> names)
    {
        ulong mask = 0;
        foreach (var name in names)
        {
            mask |= _bits.TryGetValue(name, out var bit) ? 1UL << bit : Unsatisfiable;
        }

        return mask;
    }

    /// <summary>The capability names of a mask (cached: masks repeat in every load report).</summary>
    public IReadOnlyList<string> NamesOf(ulong mask)
    {
        lock (_namesGate)
        {
            if (!_namesByMask.TryGetValue(mask, out var names))
            {
                names = ComputeNames(mask);
                _namesByMask[mask] = names;
            }

            return names;
        }
    }

    private readonly Dictionary<ulong, IReadOnlyList<string>> _namesByMask = [];

    // A System.Threading.Lock, not a monitor on the dictionary: the simulated drill asks on every load report, and
    // monitor entries showed up as a slow path in its profile.
    private readonly Lock _namesGate = new();

    private string[] ComputeNames(ulong mask)
    {
        var names = new List<string>();
        for (var i = 0; i < _names.Length; i++)
        {
            if ((mask & (1UL << i)) != 0)
            {
                names.Add(_names[i]);
            }
        }

        return names.ToArray();
    }

    /// <summary>A bit no node ever has: a job that needs an unknown capability can run nowhere.</summary>
    public const ulong Unsatisfiable = 1UL << 63;

    /// <summary>The one capability rule.</summary>
    public static bool CanRun(ulong nodeMask, ulong jobMask) => (nodeMask & jobMask) == jobMask;
}
