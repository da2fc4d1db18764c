using Planetary.Fabric.Manifest;

namespace Planetary.Fabric.Parameters;

/// <summary>
/// One owner-changeable parameter, declared once: where it lives, its type and range, who applies it, and how to
/// read it from and write it into a manifest. The manifest validator checks ranges through these declarations too.
/// </summary>
public sealed class ParameterDeclaration
{
    internal ParameterDeclaration(
        ParameterScope scope,
        string section,
        string name,
        ParameterKind kind,
        double min,
        double max,
        ParameterAppliers appliedBy,
        string description,
        Func<FabricManifest, int, ParameterValue> readAt,
        Func<FabricManifest, string, ParameterValue, FabricManifest> write)
    {
        Scope = scope;
        Section = section;
        Name = name;
        Kind = kind;
        Min = min;
        Max = max;
        AppliedBy = appliedBy;
        Description = description;
        _readAt = readAt;
        _write = write;
    }

    /// <summary>Reads the value of the item at an index (ignored for fabric-wide parameters).</summary>
    private readonly Func<FabricManifest, int, ParameterValue> _readAt;
    private readonly Func<FabricManifest, string, ParameterValue, FabricManifest> _write;

    public ParameterScope Scope { get; }

    /// <summary>The manifest section: <c>routers</c>, <c>checkpoint</c>, <c>shards</c>, <c>nodes</c>…</summary>
    public string Section { get; }

    /// <summary>The JSON property name within its section or item.</summary>
    public string Name { get; }

    public ParameterKind Kind { get; }

    /// <summary>Inclusive lower bound (numbers; for lists, the minimum length).</summary>
    public double Min { get; }

    /// <summary>Inclusive upper bound (numbers; for lists, the maximum length).</summary>
    public double Max { get; }

    public ParameterAppliers AppliedBy { get; }

    public string Description { get; }

    /// <summary>The path with a placeholder for the item key, e.g. <c>shards.{shard}.spilloverThreshold</c>.</summary>
    public string PathTemplate => Scope switch
    {
        ParameterScope.Fabric => $"{Section}.{Name}",
        ParameterScope.Shard => $"shards.{{shard}}.{Name}",
        ParameterScope.Node => $"nodes.{{node}}.{Name}",
        ParameterScope.Template => $"jobTemplates.{{template}}.{Name}",
        _ => throw new InvalidOperationException(),
    };

    public string PathFor(string key) => Scope == ParameterScope.Fabric ? $"{Section}.{Name}" : $"{Section}.{key}.{Name}";

    /// <summary>The keys this parameter exists for in a manifest (one empty key for fabric-wide parameters).</summary>
    public IEnumerable<string> KeysIn(FabricManifest manifest) => Scope switch
    {
        ParameterScope.Fabric => [string.Empty],
        ParameterScope.Shard => manifest.Shards.Select(s => s.Id),
        ParameterScope.Node => manifest.Nodes.Select(n => n.Id),
        ParameterScope.Template => manifest.JobTemplates.Select(t => t.Name),
        _ => [],
    };

    /// <summary>The JSON path of this parameter in the manifest file, for error messages.</summary>
    public string JsonPathFor(FabricManifest manifest, string key) => JsonPathAt(IndexOfKey(manifest, key));

    /// <summary>
    /// Every occurrence of this parameter in a manifest, by position: its key, its JSON path and its value. Unlike
    /// <see cref="Read"/> this never looks items up by key, so it also works on a manifest with duplicate ids.
    /// </summary>
    public IEnumerable<(string Key, string JsonPath, ParameterValue Value)> OccurrencesIn(FabricManifest manifest)
    {
        var index = 0;
        foreach (var key in KeysIn(manifest))
        {
            yield return (key, JsonPathAt(index), _readAt(manifest, index));
            index++;
        }
    }

    public ParameterValue Read(FabricManifest manifest, string key)
    {
        var index = IndexOfKey(manifest, key);
        return index >= 0
            ? _readAt(manifest, index)
            : throw new ArgumentException($"'{key}' names no item of {Section} in this manifest.", nameof(key));
    }

    public FabricManifest Write(FabricManifest manifest, string key, ParameterValue value) => _write(manifest, key, value);

    /// <summary>Checks a typed value against this declaration's range; null when it is allowed.</summary>
    public string? RangeProblem(ParameterValue value)
    {
        switch (value)
        {
            case ParameterValue.IntegerValue i when i.Value < Min || i.Value > Max:
                return $"must be an integer from {Format(Min)} to {Format(Max)}, got {i.Value}";
            case ParameterValue.NumberValue n when double.IsNaN(n.Value) || n.Value < Min || n.Value > Max:
                return $"must be a number from {Format(Min)} to {Format(Max)}, got {n}";
            case ParameterValue.ListValue l when CountProblem(l) is { } count:
                return count;
            case ParameterValue.ListValue l when l.Items.Distinct(StringComparer.Ordinal).Count() != l.Items.Count:
                return "must not list an item twice";
            default:
                return null;
        }
    }

    /// <summary>The length check of a list value alone (the validator reports repeated items with item-level paths).</summary>
    internal string? CountProblem(ParameterValue.ListValue l) =>
        l.Items.Count < Min || l.Items.Count > Max ? $"must list {Format(Min)} to {Format(Max)} items, got {l.Items.Count}" : null;

    private static string Format(double d) => d.ToString("G", System.Globalization.CultureInfo.InvariantCulture);

    private string JsonPathAt(int index) =>
        Scope == ParameterScope.Fabric ? $"$.{Section}.{Name}" : $"$.{Section}[{index}].{Name}";

    private int IndexOfKey(FabricManifest manifest, string key)
    {
        if (Scope == ParameterScope.Fabric)
        {
            return 0;
        }

        var index = 0;
        foreach (var candidate in KeysIn(manifest))
        {
            if (string.Equals(candidate, key, StringComparison.Ordinal))
            {
                return index;
            }

            index++;
        }

        return -1;
    }
}
