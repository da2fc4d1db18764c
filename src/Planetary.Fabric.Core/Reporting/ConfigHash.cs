using System.Security.Cryptography;
using System.Text;
using Planetary.Fabric.Manifest;
using Planetary.Fabric.Parameters;

namespace Planetary.Fabric.Reporting;

/// <summary>A hash of a manifest's values: shards, nodes, templates and every parameter, in canonical order.</summary>
public static class ConfigHash
{
    /// <summary>
    /// A hash of the manifest's structure only — capabilities, shard ids, node ids and shards, template names — which
    /// fixes what stored state means. Parameter values may change (the owner changes them live) without changing it.
    /// </summary>
    public static string StructureOf(FabricManifest m)
    {
        var text = new StringBuilder();
        text.Append("capabilities=").AppendJoin(',', m.Capabilities).Append('\n');
        text.Append("shards=").AppendJoin(',', m.Shards.Select(s => s.Id)).Append('\n');
        text.Append("nodes=").AppendJoin(',', m.Nodes.Select(n => $"{n.Id}@{n.Shard}")).Append('\n');
        text.Append("templates=").AppendJoin(',', m.JobTemplates.Select(t => t.Name)).Append('\n');
        return "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    public static string Of(FabricManifest m)
    {
        var text = new StringBuilder();
        text.Append("name=").Append(m.Name).Append('\n');
        text.Append("capabilities=").AppendJoin(',', m.Capabilities).Append('\n');
        foreach (var s in m.Shards)
        {
            text.Append("shard=").Append(s.Id).Append('|').Append(s.Label).Append('\n');
        }

        foreach (var n in m.Nodes)
        {
            text.Append("node=").Append(n.Id).Append('|').Append(n.Shard).Append('\n');
        }

        foreach (var (path, value) in ParameterCatalog.Flatten(m))
        {
            text.Append(path).Append('=').Append(value).Append('\n');
        }

        return "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }
}
