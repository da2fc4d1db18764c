using MassTransit;
using Planetary.Fabric.Hosting;
using Planetary.Fabric.Hosting.Messaging;
using Planetary.Fabric.Runtime.Routers;

namespace Planetary.ShardRouter;

public static class RouterServiceExtensions
{
    /// <summary>The router of one shard (<c>Fabric:ShardId</c>): storage, processor, clock, and its RabbitMQ queue.</summary>
    public static IHostApplicationBuilder AddShardRouter(this IHostApplicationBuilder builder)
    {
        var shardId = builder.Configuration["Fabric:ShardId"] ?? throw new InvalidOperationException("Fabric:ShardId is not set.");
        var services = builder.Services;
        services.AddFabricState(builder.Configuration);
        services.AddSingleton(new ProcessorInbox<RouterWork>(RouterWork.Tick.Once));
        services.AddSingleton<ProcessorReadiness>();
        services.AddSingleton(sp => new RouterTelemetry(sp.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(), shardId));
        services.AddHealthChecks().AddCheck<ProcessorReadiness>("router-recovered");

        // Registered before the bus: hosted services stop in reverse order, so the bus stops (draining its
        // consumers, which wait on the processor) before the processor does.
        services.AddSingleton<RouterProcessor>();
        services.AddHostedService(sp => sp.GetRequiredService<RouterProcessor>());
        services.AddSingleton<ITickSource>(sp => sp.GetRequiredService<RouterProcessor>());
        services.AddHostedService<ProcessorClock>();

        services.AddFabricBus(
            builder.Configuration,
            bus => bus.AddConsumer<RouterConsumer>(),
            (context, rabbit) => rabbit.ReceiveEndpoint(Queues.Router(shardId), endpoint =>
            {
                endpoint.PrefetchCount = 256;
                endpoint.ConcurrentMessageLimit = 256; // inputs wait together on the processor: one journal commit for many
                endpoint.UseFabricQueueDefaults(builder.Configuration, Queues.Router(shardId));
                endpoint.ConfigureConsumer<RouterConsumer>(context);
            }));
        return builder;
    }
}
