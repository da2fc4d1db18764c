using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Planetary.Fabric.Hosting.Redis;
using Planetary.Fabric.Runtime.Ports;
using StackExchange.Redis;

namespace Planetary.Fabric.Hosting;

public static class FabricHostingExtensions
{
    /// <summary>Options, the genesis manifest, Redis and the stores every service may use.</summary>
    public static IServiceCollection AddFabricState(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<FabricOptions>().Bind(configuration.GetSection(FabricOptions.SectionName));
        services.AddSingleton<GenesisManifest>();
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<IConnectionMultiplexer>(_ =>
        {
            var connectionString = configuration.GetConnectionString(ConnectionNames.State)
                ?? throw new InvalidOperationException($"ConnectionStrings:{ConnectionNames.State} is not set (the app host sets it).");
            var options = ConfigurationOptions.Parse(connectionString);
            options.AbortOnConnectFail = false; // keep trying: Redis may restart under a running fleet
            options.ConnectRetry = 10;
            options.ReconnectRetryPolicy = new ExponentialRetry(250, 5_000);
            options.AllowAdmin = true; // CONFIG GET: the persistence check reads appendonly and appendfsync
            return ConnectionMultiplexer.Connect(options);
        });
        services.AddSingleton<RedisJournalStore>();
        services.AddSingleton<IJournalStore>(sp => sp.GetRequiredService<RedisJournalStore>());
        services.AddSingleton<IJobRegistry>(sp => sp.GetRequiredService<RedisJournalStore>());
        services.AddSingleton<RedisSnapshotStore>();
        services.AddSingleton<ISnapshotStore>(sp => sp.GetRequiredService<RedisSnapshotStore>());
        services.AddSingleton<ParameterStore>();
        services.AddSingleton<IParameterSource>(sp => sp.GetRequiredService<ParameterStore>());
        services.AddSingleton<Books>();
        services.AddSingleton<JobIndex>();
        services.AddSingleton<IProcessControl, ProcessControl>();
        services.AddHealthChecks().AddCheck<StatePersistenceCheck>("state-persistence");
        return services;
    }
}
