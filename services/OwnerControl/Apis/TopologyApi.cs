using Microsoft.AspNetCore.Http.HttpResults;
using Planetary.Fabric.Manifest;
using Planetary.OwnerControl.Fleet;
using Planetary.OwnerControl.Parameters;
using Planetary.Reporting;

namespace Planetary.OwnerControl.Apis;

/// <summary>The fabric's shape with the owner's current values and the fleet's live state.</summary>
public sealed record TopologyView(string Name, long ParameterVersion, bool Paused, IReadOnlyList<TopologyShard> Shards, IReadOnlyList<TopologyNode> Nodes);

/// <param name="Queued">As the router last reported it; null before it has.</param>
public sealed record TopologyShard(
    string Id, string Label, IReadOnlyList<string> SpilloverTargets, int SpilloverThreshold, int MaxQueueDepth, bool Paused, int? Queued);

/// <param name="Online">By the router's view, else the agent's report; null before either.</param>
public sealed record TopologyNode(string Id, string Shard, IReadOnlyList<string> Capabilities, int Concurrency, double Reliability, bool? Online);

public static class TopologyApi
{
    public static IEndpointRouteBuilder MapTopologyApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/topology").WithTags("Topology");

        api.MapGet("", GetAsync)
            .WithName("GetTopology")
            .WithSummary("Shards (spillover links, threshold, paused, queued) and nodes (shard, capabilities, concurrency, online)");

        api.MapGet("/mermaid", GetMermaidAsync)
            .WithName("GetTopologyMermaid")
            .WithSummary("The topology as a Mermaid flowchart with live queue depths, paused shards and offline nodes")
            .Produces<string>(StatusCodes.Status200OK, "text/plain");

        return app;
    }

    private static async Task<Ok<TopologyView>> GetAsync(OwnerParameters parameters, FleetView fleet)
    {
        var (manifest, version) = await parameters.CurrentAsync();
        var live = Live(manifest, fleet);
        return TypedResults.Ok(new TopologyView(
            manifest.Name,
            version,
            manifest.Fabric.Paused,
            manifest.Shards.Select(s => new TopologyShard(
                s.Id, s.Label, s.SpilloverTargets, s.SpilloverThreshold, s.MaxQueueDepth,
                live.PausedShards.Contains(s.Id) || manifest.Fabric.Paused, live.Queued.TryGetValue(s.Id, out var q) ? q : null)).ToArray(),
            manifest.Nodes.Select(n => new TopologyNode(
                n.Id, n.Shard, n.Capabilities, n.Concurrency, n.Reliability, live.Online.TryGetValue(n.Id, out var o) ? o : null)).ToArray()));
    }

    private static async Task<ContentHttpResult> GetMermaidAsync(OwnerParameters parameters, FleetView fleet)
    {
        var (manifest, _) = await parameters.CurrentAsync();
        var live = Live(manifest, fleet);
        var status = new TopologyStatus(
            live.Queued,
            live.Online.Where(o => !o.Value).Select(o => o.Key).ToHashSet(StringComparer.Ordinal),
            live.PausedShards);
        return TypedResults.Text(TopologyDiagram.Render(manifest, status), "text/plain; charset=utf-8");
    }

    private static (Dictionary<string, int> Queued, Dictionary<string, bool> Online, HashSet<string> PausedShards) Live(FabricManifest manifest, FleetView fleet)
    {
        var queued = new Dictionary<string, int>(StringComparer.Ordinal);
        var paused = manifest.Shards.Where(s => s.Paused).Select(s => s.Id).ToHashSet(StringComparer.Ordinal);
        var online = new Dictionary<string, bool>(StringComparer.Ordinal);
        foreach (var node in manifest.Nodes)
        {
            if (fleet.Nodes.TryGetValue(node.Id, out var agent))
            {
                online[node.Id] = agent.Report.Online;
            }
        }

        foreach (var shard in manifest.Shards)
        {
            fleet.Loads.TryGetValue(shard.Id, out var load);
            if (fleet.Shards.TryGetValue(shard.Id, out var status))
            {
                queued[shard.Id] = load is not null && load.Report.Tick >= status.Report.Tick ? load.Report.Queued : status.Report.Queued;
                if (status.Report.Paused)
                {
                    paused.Add(shard.Id);
                }

                foreach (var node in status.Report.Nodes.Where(n => manifest.FindNode(n.NodeId)?.Shard == shard.Id))
                {
                    online[node.NodeId] = node.Online; // the router's view decides assignment, so it wins
                }
            }
            else if (load is not null)
            {
                queued[shard.Id] = load.Report.Queued;
            }
        }

        return (queued, online, paused);
    }
}
