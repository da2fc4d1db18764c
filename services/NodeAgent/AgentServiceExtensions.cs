using MassTransit;
using Planetary.Fabric.Hosting;
using Planetary.Fabric.Hosting.Messaging;
using Planetary.Fabric.Runtime.Agents;

namespace Planetary.NodeAgent;

public static class AgentServiceExtensions
{
    /// <summary>The agent of one node (<c>Fabric:NodeId</c>): processor, clock, and its RabbitMQ queue.</summary>
    public static IHostApplicationBuilder AddNodeAgent(this IHostApplicationBuilder builder)
    {
        var nodeId = builder.Configuration["Fabric:NodeId"] ?? throw new InvalidOperationException("Fabric:NodeId is not set.");
        var services = builder.Services;
        services.AddFabricState(builder.Configuration);
        services.AddSingleton(new ProcessorInbox<AgentWork>(AgentWork.Tick.Once));
        services.AddSingleton<ProcessorReadiness>();
        services.AddSingleton(sp => new AgentTelemetry(
            sp.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(), nodeId, sp.GetRequiredService<GenesisManifest>().Manifest.FindNode(nodeId)?.Shard ?? "?"));
        services.AddHealthChecks().AddCheck<ProcessorReadiness>("agent-registered");
        services.AddSingleton<AgentProcessor>();
        services.AddHostedService(sp => sp.GetRequiredService<AgentProcessor>());
        services.AddSingleton<ITickSource>(sp => sp.GetRequiredService<AgentProcessor>());
        services.AddHostedService<ProcessorClock>();
        services.AddFabricBus(
            builder.Configuration,
            bus =>
            {
                bus.AddConsumer<AgentConsumer>();
                bus.AddConsumer<QueueProbeConsumer>();
            },
            (context, rabbit) => rabbit.ReceiveEndpoint(Queues.Node(nodeId), endpoint =>
            {
                endpoint.PrefetchCount = 256;
                endpoint.ConcurrentMessageLimit = 256;
                endpoint.UseFabricQueueDefaults(builder.Configuration, Queues.Node(nodeId));
                endpoint.ConfigureConsumer<AgentConsumer>(context);
                endpoint.ConfigureConsumer<QueueProbeConsumer>(context);
            }));
        services.AddQueueLivenessProbe(builder.Configuration, Queues.Node(nodeId)); // an agent that hears nothing stops
        return builder;
    }
}
