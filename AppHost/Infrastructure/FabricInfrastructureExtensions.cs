using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Planetary.AppHost.Infrastructure;

/// <summary>Adds the fabric's RabbitMQ and Redis to the app host, from containers, local processes or outside.</summary>
public static class FabricInfrastructureExtensions
{
    /// <summary>
    /// Adds <c>eventbus</c> (RabbitMQ) and <c>state</c> (Redis) as configured by <c>Infrastructure:Mode</c>
    /// (<c>auto</c> by default: containers when the container runtime answers, else local processes) and
    /// <c>Infrastructure:Topology</c> (<c>single</c> by default; <c>cluster</c> runs the clustered topology locally).
    /// </summary>
    public static FabricInfrastructure AddFabricInfrastructure(this IDistributedApplicationBuilder builder)
    {
        MachineContainerSettings.AddTo(builder);
        RejectRetiredSettings(builder.Configuration);
        var options = builder.Configuration.GetSection(InfrastructureOptions.SectionName).Get<InfrastructureOptions>()
                      ?? new InfrastructureOptions();
        var runtime = ContainerRuntime.From(builder.Configuration);
        var (mode, reason) = ResolveMode(options, runtime);

        var infrastructure = (mode, options.Topology) switch
        {
            (InfrastructureMode.Containers, InfrastructureTopology.Single) => ContainerInfrastructure.Add(builder, options, runtime),
            (InfrastructureMode.Local, InfrastructureTopology.Single) => LocalInfrastructure.Add(builder, options),
            (InfrastructureMode.Local, InfrastructureTopology.Cluster) => ClusterInfrastructure.Add(builder, options),
            (InfrastructureMode.External, _) => ExternalInfrastructure.Add(builder),
            (_, InfrastructureTopology.Cluster) => throw new InvalidOperationException(
                $"{InfrastructureOptions.SectionName}:Topology=cluster runs local server processes: use Mode=local (or auto), " +
                "or Mode=external with connection strings to your own cluster."),
            _ => throw new InvalidOperationException($"Unsupported infrastructure mode {mode}."),
        };

        builder.Eventing.Subscribe<BeforeStartEvent>((startEvent, _) =>
        {
            var logger = startEvent.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(FabricInfrastructure));
            InfrastructureLog.ModeChosen(logger, mode, options.Topology, options.Mode, reason);
            return Task.CompletedTask;
        });

        return infrastructure;
    }

    private static (InfrastructureMode Mode, string Reason) ResolveMode(InfrastructureOptions options, ContainerRuntime runtime)
    {
        if (options.Mode != InfrastructureMode.Auto)
        {
            return (options.Mode, "as configured");
        }

        if (options.Topology == InfrastructureTopology.Cluster)
        {
            return (InfrastructureMode.Local, "the cluster topology runs local processes");
        }

        var status = runtime.Probe(TimeSpan.FromSeconds(options.ContainerRuntimeProbeSeconds));
        return (status.IsAvailable ? InfrastructureMode.Containers : InfrastructureMode.Local, status.Reason);
    }

    /// <summary>Settings that used to exist and would now silently do something else.</summary>
    private static void RejectRetiredSettings(IConfiguration configuration)
    {
        if (configuration[$"{InfrastructureOptions.SectionName}:Local:KeepData"] is { Length: > 0 })
        {
            throw new InvalidOperationException(
                $"{InfrastructureOptions.SectionName}:Local:KeepData is gone: the servers' data is now always kept across runs. " +
                $"To delete it, start with {InfrastructureOptions.SectionName}:Wipe=true (bash scripts/run-fabric.sh --wipe).");
        }
    }
}
