using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Planetary.Fabric.Hosting.Messaging;

/// <summary>MassTransit over RabbitMQ, configured the same way in every service.</summary>
public static class FabricBus
{
    /// <summary>
    /// Registers the bus on the <c>eventbus</c> connection string (an AMQP URI). <paramref name="consumers"/> adds the
    /// service's consumers; <paramref name="endpoints"/> configures its receive endpoints. The bus reconnects by itself
    /// after a broker restart; queues are durable and messages persistent.
    /// </summary>
    public static IServiceCollection AddFabricBus(
        this IServiceCollection services,
        IConfiguration configuration,
        Action<IBusRegistrationConfigurator> consumers,
        Action<IBusRegistrationContext, IRabbitMqBusFactoryConfigurator> endpoints)
    {
        var connectionString = configuration.GetConnectionString(ConnectionNames.EventBus)
            ?? throw new InvalidOperationException($"ConnectionStrings:{ConnectionNames.EventBus} is not set (the app host sets it).");
        var uri = new Uri(connectionString);
        var (user, password) = EventBusAddress.Credentials(uri);
        var nodes = EventBusAddress.Nodes(connectionString);

        services.AddSingleton<FabricTopology>();
        services.AddHostedService(sp => sp.GetRequiredService<FabricTopology>());
        services.AddSingleton<EffectDispatcher>();
        services.AddSingleton<BusReadiness>();
        services.AddBusObserver(sp => sp.GetRequiredService<BusReadiness>());
        services.AddMassTransit(bus =>
        {
            bus.DisableUsageTelemetry(); // it would call home, which fails (and logs) on a closed network
            consumers(bus);
            bus.UsingRabbitMq((context, rabbit) =>
            {
                rabbit.Host(uri.Host, (ushort)(uri.IsDefaultPort ? 5672 : uri.Port), EventBusAddress.VirtualHost(uri), host =>
                {
                    host.Username(user);
                    host.Password(password);
                    if (nodes.Count > 1)
                    {
                        host.UseCluster(cluster =>
                        {
                            foreach (var node in nodes)
                            {
                                cluster.Node(node); // a cluster: connect to whichever node answers
                            }
                        });
                    }

                    host.Heartbeat(TimeSpan.FromSeconds(5));
                    host.RequestedConnectionTimeout(TimeSpan.FromSeconds(5));
                });
                endpoints(context, rabbit);
            });
        });
        return services;
    }

    /// <summary>
    /// Probes the service's own <paramref name="queue"/> (<see cref="QueueLivenessProbe"/>); the endpoint of that queue must
    /// also take <see cref="QueueProbeConsumer"/>. <c>Fabric:QueueProbe:IntervalSeconds</c> (5) and <c>DeadlineSeconds</c>
    /// (60) tune it.
    /// </summary>
    public static IServiceCollection AddQueueLivenessProbe(this IServiceCollection services, IConfiguration configuration, string queue)
    {
        var section = configuration.GetSection(QueueLivenessOptions.SectionName);
        var interval = section.GetValue<double?>("IntervalSeconds") is { } i ? TimeSpan.FromSeconds(i) : QueueLivenessOptions.DefaultInterval;
        var deadline = section.GetValue<double?>("DeadlineSeconds") is { } d ? TimeSpan.FromSeconds(d) : QueueLivenessOptions.DefaultDeadline;
        var options = new QueueLivenessOptions(queue, interval, deadline);
        services.AddSingleton(options);
        services.AddSingleton(new QueueLiveness(options.Deadline));
        services.AddHostedService<QueueLivenessProbe>();
        return services;
    }

    /// <summary>
    /// What every service queue gets: retries for an input that failed (a few quick attempts, then the error queue, which
    /// owner control reports), and a quorum queue when <c>Fabric:QuorumQueues</c> is set (a RabbitMQ cluster).
    /// </summary>
    public static void UseFabricQueueDefaults(this IRabbitMqReceiveEndpointConfigurator endpoint, IConfiguration configuration, string queue)
    {
        endpoint.UseMessageRetry(retry =>
        {
            retry.Ignore<QuarantinedInputException>(); // malformed: straight to the error queue, with its reason
            retry.Intervals(100, 500, 2_000);
        });
        endpoint.SingleActiveConsumer = Queues.IsSingleActiveConsumer(queue); // as FabricTopology declares it
        if (configuration.GetValue<bool>($"{FabricOptions.SectionName}:{nameof(FabricOptions.QuorumQueues)}"))
        {
            endpoint.SetQuorumQueue();
        }
    }
}
