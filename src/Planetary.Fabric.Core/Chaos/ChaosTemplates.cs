using Planetary.Fabric.Manifest;

namespace Planetary.Fabric.Chaos;

/// <summary>Which job templates a chaos run submits to each shard.</summary>
public static class ChaosTemplates
{
    /// <summary>
    /// Per shard, the templates a node of the shard or of one of its spillover targets can run, shortest first (the
    /// engine's probes take the first). Others would fail as unroutable whatever the faults did, which is the
    /// manifest's verdict, not the nemesis's.
    /// </summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> ByShard(FabricManifest manifest)
    {
        var byShard = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var shard in manifest.Shards)
        {
            var nodes = manifest.NodesOf(shard.Id).Concat(shard.SpilloverTargets.SelectMany(manifest.NodesOf)).ToArray();
            byShard[shard.Id] = manifest.JobTemplates
                .Where(t => nodes.Any(n => t.Capabilities.All(n.Capabilities.Contains)))
                .OrderBy(t => t.DurationTicks).ThenBy(t => t.Name, StringComparer.Ordinal)
                .Select(t => t.Name)
                .ToArray();
        }

        return byShard;
    }
}
