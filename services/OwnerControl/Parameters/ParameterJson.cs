using System.Text.Json.Nodes;
using Planetary.Fabric.Manifest;
using Planetary.Fabric.Parameters;

namespace Planetary.OwnerControl.Parameters;

/// <summary>Parameter values as typed JSON (numbers, booleans, arrays) rather than their canonical text.</summary>
public static class ParameterJson
{
    public static JsonNode? Of(ParameterValue value) => value switch
    {
        ParameterValue.IntegerValue i => JsonValue.Create(i.Value),
        ParameterValue.NumberValue n => JsonValue.Create(n.Value),
        ParameterValue.BooleanValue b => JsonValue.Create(b.Value),
        ParameterValue.ListValue l => new JsonArray(l.Items.Select(item => (JsonNode?)JsonValue.Create(item)).ToArray()),
        _ => null,
    };

    /// <summary>Canonical text (as stored and audited) as typed JSON; the text itself when the path or text is unknown.</summary>
    public static JsonNode? Of(FabricManifest manifest, string path, string? text)
    {
        if (text is null)
        {
            return null;
        }

        return ParameterCatalog.TryResolve(manifest, path, out var declaration, out _, out _)
               && ParameterValue.TryParse(declaration!.Kind, text, out var value, out _)
            ? Of(value!)
            : JsonValue.Create(text);
    }

    public static string KindName(ParameterKind kind) => kind switch
    {
        ParameterKind.Integer => "integer",
        ParameterKind.Number => "number",
        ParameterKind.Boolean => "boolean",
        ParameterKind.ShardList => "shardList",
        ParameterKind.CapabilityList => "capabilityList",
        _ => kind.ToString(),
    };

    public static IReadOnlyList<string> AppliersOf(ParameterAppliers appliers) =>
    [
        .. appliers.HasFlag(ParameterAppliers.Routers) ? ["routers"] : Array.Empty<string>(),
        .. appliers.HasFlag(ParameterAppliers.NodeAgents) ? ["nodeAgents"] : Array.Empty<string>(),
        .. appliers.HasFlag(ParameterAppliers.Checkpointer) ? ["checkpointer"] : Array.Empty<string>(),
        .. appliers.HasFlag(ParameterAppliers.Drills) ? ["drills"] : Array.Empty<string>(),
    ];
}
