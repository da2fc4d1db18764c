using System.Text;
using System.Text.RegularExpressions;
using Planetary.Fabric.Manifest;

namespace Planetary.Reporting;

/// <summary>Live figures to annotate the diagram with (optional).</summary>
public sealed record TopologyStatus(IReadOnlyDictionary<string, int> QueuedByShard, IReadOnlySet<string> OfflineNodes, IReadOnlySet<string> PausedShards);

/// <summary>
/// Renders the fabric as a Mermaid flowchart that renders: ids are made safe (letters, digits, underscores),
/// labels are quoted and escaped, and the class definitions are declared.
/// </summary>
public static partial class TopologyDiagram
{
    public static string Render(FabricManifest manifest, TopologyStatus? status = null)
    {
        var text = new StringBuilder();
        text.Append("flowchart TD\n");
        foreach (var shard in manifest.Shards)
        {
            var label = shard.Label;
            if (status is not null)
            {
                var queued = status.QueuedByShard.GetValueOrDefault(shard.Id);
                label += $"<br/>queued: {queued}" + (status.PausedShards.Contains(shard.Id) || manifest.Fabric.Paused ? " (paused)" : string.Empty);
            }

            text.Append($"  {ShardNodeId(shard.Id)}[\"{Escape(label)}\"]:::shard\n");
        }

        foreach (var node in manifest.Nodes)
        {
            var offline = status?.OfflineNodes.Contains(node.Id) == true;
            var label = $"{node.Id}<br/>{string.Join(", ", node.Capabilities)}<br/>slots: {node.Concurrency}";
            text.Append($"  {NodeNodeId(node.Id)}[[\"{Escape(label)}\"]]:::{(offline ? "offline" : "node")} --> {ShardNodeId(node.Shard)}\n");
        }

        foreach (var shard in manifest.Shards)
        {
            foreach (var target in shard.SpilloverTargets)
            {
                text.Append($"  {ShardNodeId(shard.Id)} -- spillover --> {ShardNodeId(target)}\n");
            }
        }

        text.Append("  classDef shard fill:#110033,stroke:#80d0ff,stroke-width:2px,color:#fff\n");
        text.Append("  classDef node fill:#061f3a,stroke:#ffcc33,stroke-width:2px,color:#f8f8f8\n");
        text.Append("  classDef offline fill:#3a0606,stroke:#ff5555,stroke-width:2px,color:#f8f8f8,stroke-dasharray: 5 5\n");
        return text.ToString();
    }

    public static string ShardNodeId(string shardId) => "shard_" + SafeId(shardId);

    public static string NodeNodeId(string nodeId) => "node_" + SafeId(nodeId);

    private static string SafeId(string id) => Unsafe().Replace(id, "_");

    private static string Escape(string label) => label.Replace("\"", "#quot;", StringComparison.Ordinal);

    [GeneratedRegex("[^A-Za-z0-9_]")]
    private static partial Regex Unsafe();
}
