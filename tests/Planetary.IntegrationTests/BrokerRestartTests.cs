using System.Diagnostics;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;
using Planetary.IntegrationTests.Fleet;
using Xunit.Abstractions;

namespace Planetary.IntegrationTests;

/// <summary>RabbitMQ restarts under a running drill-sized load; every service reconnects by itself.</summary>
[Collection(LiveFleetCollection.Name)]
public sealed class BrokerRestartTests(LiveFleet fleet, ITestOutputHelper output)
{
    [Fact]
    public async Task A_run_survives_a_RabbitMQ_restart_mid_run()
    {
        var ids = new List<string>();
        ids.AddRange(await fleet.SubmitAsync("earth", "validation-sweep", 500, "broker"));
        ids.AddRange(await fleet.SubmitAsync("mars", "logistics-routing", 500, "broker"));
        await LiveFleet.Eventually(() => fleet.Books.OutcomesAsync(ids).Result.Count > 50, TimeSpan.FromSeconds(60), "the run is under way");

        var stopwatch = Stopwatch.StartNew();
        var commands = fleet.App.Services.GetRequiredService<ResourceCommandService>();
        var restart = await commands.ExecuteCommandAsync("eventbus", "resource-restart");
        Assert.True(restart.Success, restart.Message);
        await fleet.App.ResourceNotifications.WaitForResourceHealthyAsync("eventbus", WaitBehavior.WaitOnResourceUnavailable).WaitAsync(TimeSpan.FromSeconds(90));
        output.WriteLine($"RabbitMQ restarted and healthy after {stopwatch.ElapsedMilliseconds} ms");

        var outcomes = await fleet.WaitForOutcomesAsync(ids, TimeSpan.FromMinutes(3));
        Assert.Equal(ids.Count, outcomes.Count);
        Assert.All(await fleet.FinishesPerJobAsync(ids), f => Assert.Equal(1, f.Value));
        output.WriteLine($"all {ids.Count} jobs finished {stopwatch.ElapsedMilliseconds} ms after the restart began");
    }
}
