using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Planetary.Fabric.Hosting;
using Planetary.Fabric.Hosting.Redis;
using Planetary.IntegrationTests.Fleet;
using Planetary.Testing.Local;
using StackExchange.Redis;

namespace Planetary.IntegrationTests;

/// <summary>
/// The persistence check every journaling service carries, against real Redis servers: the fleet's own passes, and a
/// server that would lose acknowledged writes (no append-only file, or an fsync less often than every write) is
/// reported unhealthy with the reason, until it is fixed.
/// </summary>
[Collection(LiveFleetCollection.Name)]
public sealed class StatePersistenceTests(LiveFleet fleet)
{
    [Fact]
    public async Task The_fleets_state_store_persists_every_write()
    {
        var options = ConfigurationOptions.Parse(fleet.Redis.Configuration);
        options.AllowAdmin = true;
        await using var redis = await ConnectionMultiplexer.ConnectAsync(options);
        var result = await CheckAsync(redis, replicaAcks: 0);
        Assert.True(result.Status == HealthStatus.Healthy, result.Description);
    }

    [Fact]
    public async Task A_server_without_an_fsync_on_every_write_is_unhealthy_with_the_reason_until_it_is_fixed()
    {
        await using var server = await LocalRedisServer.StartNewAsync();
        var options = ConfigurationOptions.Parse(server.ConnectionString);
        options.AllowAdmin = true;
        await using var redis = await ConnectionMultiplexer.ConnectAsync(options);
        var admin = redis.GetServers().Single();

        Assert.Equal(HealthStatus.Healthy, (await CheckAsync(redis, 0)).Status);

        await admin.ConfigSetAsync("appendfsync", "everysec");
        var everySecond = await CheckAsync(redis, 0);
        Assert.Equal(HealthStatus.Unhealthy, everySecond.Status);
        Assert.Contains("only 'everysec'", everySecond.Description);
        Assert.Contains("has 0 of the 1 replicas", (await CheckAsync(redis, 1)).Description);

        await admin.ConfigSetAsync("appendonly", "no");
        var noFile = await CheckAsync(redis, 0);
        Assert.Equal(HealthStatus.Unhealthy, noFile.Status);
        Assert.Contains("does not write an append-only file", noFile.Description);

        await admin.ConfigSetAsync("appendonly", "yes");
        await admin.ConfigSetAsync("appendfsync", "always");
        Assert.Equal(HealthStatus.Healthy, (await CheckAsync(redis, 0)).Status);
    }

    private static Task<HealthCheckResult> CheckAsync(IConnectionMultiplexer redis, int replicaAcks) =>
        new StatePersistenceCheck(redis, Options.Create(new FabricOptions { JournalReplicaAcks = replicaAcks }), TimeProvider.System,
            NullLogger<StatePersistenceCheck>.Instance).CheckHealthAsync(new HealthCheckContext());
}
