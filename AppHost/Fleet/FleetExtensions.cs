using Microsoft.Extensions.Configuration;
using Planetary.AppHost.Infrastructure;
using Planetary.AppHost.Supervision;
using Planetary.Fabric.Manifest;
using Planetary.LocalServers;

namespace Planetary.AppHost.Fleet;

/// <summary>Builds the fabric's services from the owner manifest.</summary>
public static class FleetExtensions
{
    private const string HealthPath = "/health";
    private const string HttpEndpointName = "http";

    /// <summary>
    /// Reads the manifest (<c>Fabric:ManifestPath</c>, default <c>config/fabric.json</c>) and adds
    /// <c>owner-control</c>, <c>checkpointer</c>, a <c>router-{shardId}</c> per shard and an
    /// <c>agent-{nodeId}</c> per node. Every service references and waits for the event bus and the state store,
    /// has an HTTP health check on <c>/health</c> and is supervised (restarted when its process dies).
    /// </summary>
    public static FabricFleet AddFabricFleet(this IDistributedApplicationBuilder builder, FabricInfrastructure infrastructure)
    {
        var manifestPath = ResolveManifestPath(builder);
        var manifest = ManifestLoader.LoadFile(manifestPath);
        var ownerOptions = builder.Configuration.GetSection(OwnerControlOptions.SectionName).Get<OwnerControlOptions>()
                           ?? new OwnerControlOptions();
        ownerOptions.Validate();
        RejectNameCollisions(manifest);

        var ownerToken = builder.AddOwnerToken();

        var ownerControl = builder.AddProject<Projects.Planetary_OwnerControl>(FleetNames.OwnerControl)
            .AsFabricService(infrastructure, manifestPath)
            .WithLeanRuntime()
            .WithEndpoint(HttpEndpointName, endpoint =>
            {
                // Loopback only, on a port the operator can bookmark (the proxy keeps it across restarts).
                endpoint.Port = ownerOptions.Port == 0 ? null : ownerOptions.Port;
                endpoint.TargetHost = Loopback.Address;
            })
            .WithEnvironment(FleetEnvironment.OwnerToken, ownerToken)
            .WithEnvironment(FleetEnvironment.ReportsDirectory, Path.GetFullPath(Path.Combine(builder.AppHostDirectory, "..", "reports")))
            .WithOwnerConsole(builder)
            .WithOwnerCommands(ownerToken)
            .WithConfirmedLifecycleCommands("The owner console and API are unavailable meanwhile; no job is lost.");
        builder.WriteOwnerTokenFile(ownerToken);

        var checkpointer = builder.AddProject<Projects.Planetary_Checkpointer>(FleetNames.Checkpointer)
            .AsFabricService(infrastructure, manifestPath)
            .WithLeanRuntime()
            .WithConfirmedLifecycleCommands("No snapshots are written meanwhile; the routers keep journaling.");

        var routers = manifest.Shards.ToDictionary(
            shard => shard.Id,
            shard => builder.AddProject<Projects.Planetary_ShardRouter>(FleetNames.Router(shard.Id))
                .AsFabricService(infrastructure, manifestPath)
                .WithEnvironment(FleetEnvironment.ShardId, shard.Id)
                .WithConfirmedLifecycleCommands($"Shard {shard.Id} accepts and assigns no work meanwhile; its queued jobs wait in its journal."),
            StringComparer.Ordinal);

        var agents = manifest.Nodes
            .Select(node => builder.AddProject<Projects.Planetary_NodeAgent>(FleetNames.Agent(node.Id))
                .AsFabricService(infrastructure, manifestPath)
                .WithLeanRuntime()
                .WithEnvironment(FleetEnvironment.NodeId, node.Id)
                .WithParentRelationship(routers[node.Shard]) // the dashboard lists a shard's agents under its router
                .WithTakeOfflineCommand(node.Id, ownerControl, ownerToken)
                .WithConfirmedLifecycleCommands($"{node.Id} runs no work meanwhile; its router declares it offline and re-queues its jobs."))
            .ToList();

        var fleet = new FabricFleet(manifest, manifestPath, ownerToken, ownerControl, checkpointer,
            manifest.Shards.Select(shard => routers[shard.Id]).ToList(), agents);
        builder.AddFabricResourceStates(fleet);
        return fleet;
    }

    /// <summary>
    /// What every fabric service gets: its built program started directly, the manifest, both servers (and the settings
    /// their topology needs), a readiness check, supervision.
    /// </summary>
    private static IResourceBuilder<ProjectResource> AsFabricService(
        this IResourceBuilder<ProjectResource> service, FabricInfrastructure infrastructure, string manifestPath) =>
        infrastructure.Connect(service
            .RunBuiltProgram()
            .WithEnvironment(FleetEnvironment.ManifestPath, manifestPath))
            .WithHttpHealthCheck(HealthPath)
            .WithSupervision();

    private static string ResolveManifestPath(IDistributedApplicationBuilder builder)
    {
        var configured = builder.Configuration.GetSection(FabricOptions.SectionName).Get<FabricOptions>()?.ManifestPath;
        var path = Path.GetFullPath(configured is { Length: > 0 }
            ? configured
            : Path.Combine(builder.AppHostDirectory, "..", "config", "fabric.json"));
        return File.Exists(path)
            ? path
            : throw new FileNotFoundException($"The owner manifest {path} does not exist (set {FabricOptions.SectionName}:ManifestPath).", path);
    }

    /// <summary>Two ids that differ only in case or '_' versus '-' would map to one resource name.</summary>
    private static void RejectNameCollisions(FabricManifest manifest)
    {
        var clashes = manifest.Shards.Select(shard => (Id: shard.Id, Name: FleetNames.Router(shard.Id)))
            .Concat(manifest.Nodes.Select(node => (Id: node.Id, Name: FleetNames.Agent(node.Id))))
            .GroupBy(entry => entry.Name, StringComparer.Ordinal)
            .Where(group => group.Count() > 1)
            .Select(group => $"{group.Key} ({string.Join(", ", group.Select(entry => entry.Id))})")
            .ToList();
        if (clashes.Count > 0)
        {
            throw new InvalidOperationException(
                $"Manifest ids map to the same resource name: {string.Join("; ", clashes)}. Rename one of each.");
        }
    }
}
