using System.Net.Http.Json;
using System.Text.Json;
using Planetary.IntegrationTests.Fleet;

namespace Planetary.IntegrationTests;

/// <summary>Owner changes are law on the live fleet: they reach every service and change what the fleet does.</summary>
[Collection(LiveFleetCollection.Name)]
public sealed class OwnerSupremacyTests(LiveFleet fleet)
{
    [Fact]
    public async Task A_parameter_change_reaches_every_service_and_the_versions_converge()
    {
        var response = await fleet.Owner.PutAsJsonAsync("/api/parameters/routers.cooldownTicks", new { value = 4 });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        var version = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("version").GetInt64();

        await fleet.WaitForParameterVersionAsync(version);

        var services = fleet.Manifest.Shards.Select(s => $"router:{s.Id}").Concat(fleet.Manifest.Nodes.Select(n => $"node:{n.Id}")).Append("checkpointer");
        Assert.All(services, s => Assert.True(fleet.Observed.AppliedVersions.GetValueOrDefault(s) >= version, $"{s} applied {fleet.Observed.AppliedVersions.GetValueOrDefault(s)}"));
        var log = await fleet.Owner.GetStringAsync("/api/owner-log");
        Assert.Contains("routers.cooldownTicks", log);
    }

    [Fact]
    public async Task Pause_stops_assignment_keeps_the_queued_work_and_resume_finishes_it()
    {
        Assert.True((await fleet.Owner.PostAsync("/api/pause?shard=luna", null)).IsSuccessStatusCode);
        await LiveFleet.Eventually(() => fleet.Observed.Shards["luna"].Paused, TimeSpan.FromSeconds(10), "router-luna reports that it is paused");
        var ids = await fleet.SubmitAsync("luna", "validation-sweep", 40, "paused");

        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.Empty(await fleet.Books.OutcomesAsync(ids));
        await LiveFleet.Eventually(() => fleet.Observed.Shards["luna"].Queued >= 40, TimeSpan.FromSeconds(10), "luna reports the jobs queued");
        Assert.Equal(0, fleet.Observed.Shards["luna"].Running);

        Assert.True((await fleet.Owner.PostAsync("/api/resume?shard=luna", null)).IsSuccessStatusCode);
        var outcomes = await fleet.WaitForOutcomesAsync(ids, TimeSpan.FromMinutes(1));
        Assert.Equal(ids.Count, outcomes.Count);
    }

    [Fact]
    public async Task A_restarted_agent_comes_back_with_the_owners_values_not_the_manifests()
    {
        Assert.Equal(12, fleet.Manifest.FindNode("LUNA-HYPERION-01")!.Concurrency); // what the manifest says
        var response = await fleet.Owner.PutAsJsonAsync("/api/parameters/nodes.LUNA-HYPERION-01.concurrency", new { value = 5 });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        try
        {
            await LiveFleet.Eventually(() => fleet.Observed.Nodes["LUNA-HYPERION-01"].Slots == 5, TimeSpan.FromSeconds(10), "the running agent applies 5 slots");
            var victim = fleet.Observed.Nodes["LUNA-HYPERION-01"].ProcessId;

            System.Diagnostics.Process.GetProcessById(victim).Kill();

            await LiveFleet.Eventually(() => fleet.Observed.Nodes["LUNA-HYPERION-01"].ProcessId != victim, TimeSpan.FromSeconds(60), "the agent is restarted");
            Assert.Equal(5, fleet.Observed.Nodes["LUNA-HYPERION-01"].Slots); // the owner's value, read from Redis at start
        }
        finally
        {
            await fleet.Owner.PutAsJsonAsync("/api/parameters/nodes.LUNA-HYPERION-01.concurrency", new { value = 12 });
        }
    }
}
