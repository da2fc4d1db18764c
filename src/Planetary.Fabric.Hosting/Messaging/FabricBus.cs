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
        var (user, password) = Credentials(uri);

        services.AddSingleton<EffectDispatcher>();
        services.AddMassTransit(bus =>
        {
            bus.DisableUsageTelemetry(); // it would call home, which fails (and logs) on a closed network
            consumers(bus);
            bus.UsingRabbitMq((context, rabbit) =>
            {
                rabbit.Host(uri.Host, (ushort)(uri.IsDefaultPort ? 5672 : uri.Port), VirtualHost(uri), host =>
                {
                    host.Username(user);
                    host.Password(password);
                    host.Heartbeat(TimeSpan.FromSeconds(5));
                    host.RequestedConnectionTimeout(TimeSpan.FromSeconds(5));
                });
                endpoints(context, rabbit);
            });
        });
        return services;
    }

    /// <summary>
    /// What every service queue gets: retries for an input that failed (a few quick attempts, then the error queue, which
    /// owner control reports), and a quorum queue when <c>Fabric:QuorumQueues</c> is set (a RabbitMQ cluster).
    /// </summary>
    public static void UseFabricQueueDefaults(this IRabbitMqReceiveEndpointConfigurator endpoint, IConfiguration configuration)
    {
        endpoint.UseMessageRetry(retry => retry.Intervals(100, 500, 2_000));
        if (configuration.GetValue<bool>($"{FabricOptions.SectionName}:{nameof(FabricOptions.QuorumQueues)}"))
        {
            endpoint.SetQuorumQueue();
        }
    }

    private static (string User, string Password) Credentials(Uri uri)
    {
        var parts = Uri.UnescapeDataString(uri.UserInfo).Split(':', 2);
        return parts.Length == 2 && parts[0].Length > 0 ? (parts[0], parts[1]) : ("guest", "guest");
    }

    private static string VirtualHost(Uri uri)
    {
        var path = uri.AbsolutePath.Trim('/');
        return path.Length == 0 ? "/" : Uri.UnescapeDataString(path);
    }
}
