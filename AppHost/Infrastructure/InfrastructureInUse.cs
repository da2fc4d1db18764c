using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Planetary.AppHost.Infrastructure;

/// <summary>
/// What a built app host runs its servers on, read from its model: for test fixtures that must say which way they
/// ran, and clean up the data volumes of a throw-away fleet.
/// </summary>
public sealed class InfrastructureInUse
{
    private readonly ContainerRuntime _runtime;

    private InfrastructureInUse(string description, ContainerRuntime runtime, IReadOnlyList<string> volumes)
    {
        Description = description;
        _runtime = runtime;
        DataVolumes = volumes;
    }

    /// <summary>E.g. "containers on podman (localhost/planetary-rabbitmq:3.10.8-debian12, …)" or "local processes (…)".</summary>
    public string Description { get; }

    /// <summary>The named volumes of the app host's containers (empty without containers).</summary>
    public IReadOnlyList<string> DataVolumes { get; }

    /// <summary>Reads the model of a built app host.</summary>
    public static InfrastructureInUse Of(IServiceProvider services)
    {
        var model = services.GetRequiredService<DistributedApplicationModel>();
        var runtime = ContainerRuntime.From(services.GetRequiredService<IConfiguration>());
        var containers = model.Resources.OfType<ContainerResource>().ToList();
        if (containers.Count > 0)
        {
            var images = containers.Select(container => container.TryGetLastAnnotation<ContainerImageAnnotation>(out var image)
                ? $"{(image.Registry is { Length: > 0 } registry ? registry + "/" : "")}{image.Image}:{image.Tag}"
                : container.Name);
            var volumes = containers.SelectMany(container => container.Annotations.OfType<ContainerMountAnnotation>())
                .Where(mount => mount.Type == ContainerMountType.Volume && mount.Source is { Length: > 0 })
                .Select(mount => mount.Source!)
                .ToList();
            return new InfrastructureInUse($"containers on {runtime.Command} ({string.Join(", ", images)})", runtime, volumes);
        }

        var servers = model.Resources.OfType<ExecutableResource>()
            .Where(resource => resource.Name.StartsWith(FabricInfrastructure.EventBusName, StringComparison.Ordinal) ||
                               resource.Name.StartsWith(FabricInfrastructure.StateName, StringComparison.Ordinal))
            .Select(resource => resource.Name)
            .ToList();
        return new InfrastructureInUse(
            servers.Count == 0 ? "servers outside the app host (connection strings)" : $"local processes ({string.Join(", ", servers)})",
            runtime, []);
    }

    /// <summary>Removes <see cref="DataVolumes"/> (call after the app host stopped and its containers are gone).</summary>
    public void RemoveDataVolumes()
    {
        foreach (var volume in DataVolumes)
        {
            _runtime.Run(TimeSpan.FromSeconds(30), "volume", "rm", "--force", volume);
        }
    }
}
