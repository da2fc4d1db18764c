using Planetary.Fabric.Manifest;

namespace Planetary.AppHost.Fleet;

/// <summary>The services built from the manifest, for the app host's own wiring (commands, tests).</summary>
/// <param name="Manifest">The manifest the fleet was built from.</param>
/// <param name="ManifestPath">Its absolute path, as given to every service.</param>
/// <param name="OwnerToken">The owner's bearer token (secret parameter <c>owner-token</c>).</param>
/// <param name="OwnerControl">The owner's HTTP API, <c>owner-control</c>.</param>
/// <param name="Checkpointer">The snapshot writer, <c>checkpointer</c>.</param>
/// <param name="Routers">One <c>router-{shardId}</c> per shard, in manifest order.</param>
/// <param name="Agents">One <c>agent-{nodeId}</c> per node, in manifest order.</param>
public sealed record FabricFleet(
    FabricManifest Manifest,
    string ManifestPath,
    IResourceBuilder<ParameterResource> OwnerToken,
    IResourceBuilder<ProjectResource> OwnerControl,
    IResourceBuilder<ProjectResource> Checkpointer,
    IReadOnlyList<IResourceBuilder<ProjectResource>> Routers,
    IReadOnlyList<IResourceBuilder<ProjectResource>> Agents);
