using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Planetary.Contracts;
using Planetary.OwnerControl.Fleet;
using static Planetary.OwnerControl.Tests.OwnerControlFixture;

namespace Planetary.OwnerControl.Tests;

[Collection(OwnerControlCollection.Name)]
public sealed class FaultsApiTests(OwnerControlFixture fixture)
{
    private HttpClient Client => fixture.Client;

    [Fact(Timeout = TestTimeouts.TestMilliseconds)]
    public async Task Taking_a_node_offline_sends_TakeNodeOffline_to_that_nodes_queue()
    {
        using var deadline = new CancellationTokenSource(TestTimeouts.Arrival * 2);

        var sent = await (await Client.SendAsync(Owner(HttpMethod.Post, "/api/faults/nodes/MARS-ARES-01/offline", """{"ticks": 25}""", actor: "drill-ops")))
            .JsonAsync(HttpStatusCode.Accepted);

        Assert.Equal("TakeNodeOffline", sent.GetProperty("command").GetString());
        Assert.Equal("node-mars-ares-01", sent.GetProperty("queue").GetString());
        var command = await fixture.Broker.TakeAsync<TakeNodeOffline>("node-mars-ares-01", m => m.GetProperty("ticks").GetInt32() == 25, deadline.Token);
        Assert.Equal("MARS-ARES-01", command.GetProperty("nodeId").GetString());
        Assert.Equal("drill-ops", command.GetProperty("actor").GetString());
    }

    [Fact(Timeout = TestTimeouts.TestMilliseconds)]
    public async Task Crashing_a_router_sends_CrashRouter_naming_the_process_that_serves_the_shard()
    {
        using var deadline = new CancellationTokenSource(TestTimeouts.Arrival * 2);
        fixture.Factory.Services.GetRequiredService<FleetView>().Observe(new ShardStatusReported(
            "earth", 5, false, 0, 7, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, [], "earth-process-7", 4242));

        var sent = await (await Client.SendAsync(Owner(HttpMethod.Post, "/api/faults/routers/earth/crash"))).JsonAsync(HttpStatusCode.Accepted);

        Assert.Equal("router-earth", sent.GetProperty("queue").GetString());
        var command = await fixture.Broker.TakeAsync<CrashRouter>("router-earth", m => m.GetProperty("shardId").GetString() == "earth", deadline.Token);
        Assert.Equal("owner", command.GetProperty("actor").GetString());
        Assert.Equal("earth-process-7", command.GetProperty("instanceId").GetString());
    }

    [Fact(Timeout = TestTimeouts.TestMilliseconds)]
    public async Task Crashing_a_router_that_never_reported_is_refused_because_there_is_no_process_to_name() =>
        await ProblemAssert.IsProblemAsync(
            await Client.SendAsync(Owner(HttpMethod.Post, "/api/faults/routers/luna/crash")), HttpStatusCode.Conflict, "not-reported", "luna", "Nothing was sent");

    [Fact(Timeout = TestTimeouts.TestMilliseconds)]
    public async Task Checkpoint_now_asks_the_checkpointer_for_one_shard_or_all()
    {
        using var deadline = new CancellationTokenSource(TestTimeouts.Arrival * 2);
        await fixture.Broker.PurgeAsync("checkpointer", deadline.Token);

        await (await Client.SendAsync(Owner(HttpMethod.Post, "/api/checkpoints?shard=edge", "{}"))).JsonAsync(HttpStatusCode.Accepted);
        var one = await fixture.Broker.TakeAsync<CheckpointNow>("checkpointer", _ => true, deadline.Token);
        Assert.Equal("edge", one.GetProperty("shardId").GetString());

        await (await Client.SendAsync(Owner(HttpMethod.Post, "/api/checkpoints"))).JsonAsync(HttpStatusCode.Accepted);
        var all = await fixture.Broker.TakeAsync<CheckpointNow>("checkpointer", _ => true, deadline.Token);
        Assert.False(all.TryGetProperty("shardId", out var shard) && shard.ValueKind != System.Text.Json.JsonValueKind.Null);
    }
}
