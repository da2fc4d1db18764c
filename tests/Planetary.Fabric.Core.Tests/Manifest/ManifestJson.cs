using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Planetary.Fabric.Manifest;

namespace Planetary.Fabric.Tests.Manifest;

/// <summary>
/// The default manifest as editable JSON, so each test states the one thing it breaks by a path such as
/// <c>nodes[2].reliability</c> (the same path the loader must report, without the leading <c>$.</c>).
/// </summary>
internal static partial class ManifestJson
{
    /// <summary>The text embedded in the core assembly (config/fabric.json).</summary>
    public static string DefaultText { get; } = ReadDefault();

    public static JsonObject Default() => JsonNode.Parse(DefaultText)!.AsObject();

    public static JsonObject Set(this JsonObject root, string path, JsonNode? value)
    {
        var (parent, last) = Walk(root, path);
        if (last is int index)
        {
            parent.AsArray()[index] = value;
        }
        else
        {
            parent.AsObject()[(string)last] = value;
        }

        return root;
    }

    /// <summary>Sets a value given as a JSON literal, e.g. <c>"0"</c>, <c>"\"ten\""</c>, <c>"[]"</c>.</summary>
    public static JsonObject SetJson(this JsonObject root, string path, string json) => root.Set(path, JsonNode.Parse(json));

    public static JsonObject Without(this JsonObject root, string path)
    {
        var (parent, last) = Walk(root, path);
        if (last is int index)
        {
            parent.AsArray().RemoveAt(index);
        }
        else
        {
            Assert.True(parent.AsObject().Remove((string)last), $"the default manifest has no '{path}'");
        }

        return root;
    }

    /// <summary>Appends an item (a JSON literal) to the list at <paramref name="listPath"/>.</summary>
    public static JsonObject Append(this JsonObject root, string listPath, string json)
    {
        Resolve(root, listPath).AsArray().Add(JsonNode.Parse(json));
        return root;
    }

    /// <summary>A copy of an existing item with some properties replaced, e.g. a second node with a duplicate id.</summary>
    public static JsonObject AppendCopy(this JsonObject root, string itemPath, params (string Name, string Json)[] changes)
    {
        var copy = Resolve(root, itemPath).DeepClone().AsObject();
        foreach (var (name, json) in changes)
        {
            copy[name] = JsonNode.Parse(json);
        }

        var listPath = itemPath[..itemPath.LastIndexOf('[')];
        Resolve(root, listPath).AsArray().Add(copy);
        return root;
    }

    public static (FabricManifest? Manifest, IReadOnlyList<ManifestError> Errors) Load(this JsonNode root) =>
        ManifestLoader.Load(root.ToJsonString());

    public static IReadOnlyList<ManifestError> Errors(this JsonNode root) => root.Load().Errors;

    public static FabricManifest Valid(this JsonNode root)
    {
        var (manifest, errors) = root.Load();
        Assert.True(errors.Count == 0, "expected a valid manifest, got:\n  " + string.Join("\n  ", errors));
        return manifest!;
    }

    private static JsonNode Resolve(JsonObject root, string path)
    {
        var (parent, last) = Walk(root, path);
        var node = last is int index ? parent.AsArray()[index] : parent.AsObject()[(string)last];
        return node ?? throw new InvalidOperationException($"'{path}' is null in the default manifest");
    }

    private static (JsonNode Parent, object Last) Walk(JsonObject root, string path)
    {
        var segments = Segment().Matches(path)
            .Select(m => m.Groups[2].Success ? (object)int.Parse(m.Groups[2].Value) : m.Groups[1].Value)
            .ToList();
        JsonNode current = root;
        foreach (var segment in segments[..^1])
        {
            current = (segment is int i ? current.AsArray()[i] : current.AsObject()[(string)segment])
                ?? throw new InvalidOperationException($"'{path}' does not exist in the default manifest");
        }

        return (current, segments[^1]);
    }

    private static string ReadDefault()
    {
        using var stream = typeof(ManifestLoader).Assembly.GetManifestResourceStream(ManifestLoader.DefaultResourceName)
            ?? throw new InvalidOperationException("The default manifest is not embedded in the core assembly.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    [GeneratedRegex(@"([^.\[\]]+)|\[(\d+)\]")]
    private static partial Regex Segment();
}
