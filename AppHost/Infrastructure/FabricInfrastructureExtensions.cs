using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Planetary.AppHost.Infrastructure;

/// <summary>Adds the fabric's RabbitMQ and Redis to the app host, from containers, local processes or outside.</summary>
public static class FabricInfrastructureExtensions
{
    /// <summary>
    /// Adds <c>eventbus</c> (RabbitMQ) and <c>state</c> (Redis) as configured by <c>Infrastructure:Mode</c>
    /// (<c>auto</c> by default: containers when the container runtime answers, else local processes).
    /// </summary>
    public static FabricInfrastructure AddFabricInfrastructure(this IDistributedApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection(InfrastructureOptions.SectionName).Get<InfrastructureOptions>()
                      ?? new InfrastructureOptions();
        var (mode, reason) = ResolveMode(options);

        var (eventBus, state) = mode switch
        {
            InfrastructureMode.Containers => ContainerInfrastructure.Add(builder, options.Local),
            InfrastructureMode.Local => LocalInfrastructure.Add(builder, options.Local),
            InfrastructureMode.External => ExternalInfrastructure.Add(builder),
            _ => throw new InvalidOperationException($"Unsupported infrastructure mode {mode}."),
        };

        builder.Eventing.Subscribe<BeforeStartEvent>((startEvent, _) =>
        {
            var logger = startEvent.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(FabricInfrastructure));
            InfrastructureLog.ModeChosen(logger, mode, options.Mode, reason);
            return Task.CompletedTask;
        });

        return new FabricInfrastructure(eventBus, state, mode);
    }

    private static (InfrastructureMode Mode, string Reason) ResolveMode(InfrastructureOptions options)
    {
        if (options.Mode != InfrastructureMode.Auto)
        {
            return (options.Mode, "as configured");
        }

        var runtime = ContainerRuntimeDetector.Probe(TimeSpan.FromSeconds(options.ContainerRuntimeProbeSeconds));
        return (runtime.IsAvailable ? InfrastructureMode.Containers : InfrastructureMode.Local, runtime.Reason);
    }
}
