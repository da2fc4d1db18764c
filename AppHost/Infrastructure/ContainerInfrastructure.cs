using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Planetary.AppHost.Supervision;

namespace Planetary.AppHost.Infrastructure;

/// <summary>
/// Aspire's RabbitMQ and Redis containers on Docker or Podman (requires a working container runtime), each with a
/// named data volume, supervised like the services (a container that dies is started again, on the same volume).
/// Images are a setting: the official images by default, or locally built ones (<c>scripts/containers.sh</c>).
/// </summary>
internal static class ContainerInfrastructure
{
    private const string RedisCommandPrefix = "redis-server";
    private const string RedisDataDirectory = "/data";

    public static FabricInfrastructure Add(IDistributedApplicationBuilder builder, InfrastructureOptions options, ContainerRuntime runtime)
    {
        var containers = options.Containers;
        var eventBusVolume = $"{containers.VolumePrefix}-{FabricInfrastructure.EventBusName}-data";
        var stateVolume = $"{containers.VolumePrefix}-{FabricInfrastructure.StateName}-data";

        // WithDataVolume also gives the node a stable name (eventbus@localhost), so its data is found on the next run.
        var eventBus = builder.AddRabbitMQ(FabricInfrastructure.EventBusName)
            .WithConfiguredImage(containers.RabbitMqImage)
            .WithDataVolume(eventBusVolume)
            .WithServerSupervision();
        var state = builder.AddRedis(FabricInfrastructure.StateName)
            .WithConfiguredImage(containers.RedisImage)
            .WithVolume(stateVolume, RedisDataDirectory)
            .WithArgs(AppendOnlyPersistence)
            .WithServerSupervision();

        builder.Eventing.Subscribe<BeforeStartEvent>((startEvent, _) =>
        {
            var logger = startEvent.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ContainerInfrastructure));
            if (options.Wipe)
            {
                DataWipe.RemoveVolumes(logger, runtime,
                [
                    new DataLocation("RabbitMQ", DataWipe.BrokerContents, eventBusVolume),
                    new DataLocation("Redis", DataWipe.StateContents, stateVolume),
                ]);
            }

            InfrastructureLog.ContainersPrepared(logger, ImageOf(eventBus.Resource), ImageOf(state.Resource), runtime.Command,
                $"{eventBusVolume}, {stateVolume}");
            return Task.CompletedTask;
        });

        return new FabricInfrastructure(
            FabricServerGroup.Of(eventBus), FabricServerGroup.Of(state), InfrastructureMode.Containers, InfrastructureTopology.Single);
    }

    /// <summary>Replaces Aspire's default image with the configured one (unchanged when none is configured).</summary>
    private static IResourceBuilder<T> WithConfiguredImage<T>(this IResourceBuilder<T> container, string? reference)
        where T : ContainerResource
    {
        if (string.IsNullOrWhiteSpace(reference))
        {
            return container;
        }

        var image = ContainerImage.Parse(reference);
        container.WithImage(image.Image, image.Tag);
        return image.Registry is { } registry ? container.WithImageRegistry(registry) : container.WithImageRegistry(null);
    }

    private static string ImageOf(IResource resource) =>
        resource.TryGetLastAnnotation<ContainerImageAnnotation>(out var image)
            ? $"{(image.Registry is { Length: > 0 } registry ? registry + "/" : "")}{image.Image}:{image.Tag}"
            : "(unknown)";

    /// <summary>
    /// Adds <c>--appendonly yes --appendfsync always --dir /data</c> to Aspire's Redis command line, so a journal entry
    /// Redis acknowledged is in the volume even after a kill of the container (as with the local server). Aspire
    /// 13.6 wraps <c>redis-server</c> and its options in one <c>/bin/sh -c "redis-server …"</c> argument; other
    /// versions pass them as separate arguments.
    /// </summary>
    private static void AppendOnlyPersistence(CommandLineArgsCallbackContext context)
    {
        string[] persistence = ["--appendonly", "yes", "--appendfsync", "always", "--dir", RedisDataDirectory];
        if (context.Args is [.., "-c", string shellCommand] && shellCommand.StartsWith(RedisCommandPrefix, StringComparison.Ordinal))
        {
            context.Args[^1] = $"{shellCommand} {string.Join(' ', persistence)}";
        }
        else if (context.Args is [RedisCommandPrefix, ..])
        {
            foreach (var argument in persistence)
            {
                context.Args.Add(argument);
            }
        }
    }
}
