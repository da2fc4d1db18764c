using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Planetary.Contracts;
using Planetary.Fabric.Manifest;
using Planetary.Fabric.Parameters;
using Planetary.OwnerControl.Drills;
using static Planetary.OwnerControl.Tests.OwnerControlFixture;

namespace Planetary.OwnerControl.Tests;

[Collection(OwnerControlCollection.Name)]
public sealed class ParametersApiTests(OwnerControlFixture fixture)
{
    private HttpClient Client => fixture.Client;

    [Fact(Timeout = TestTimeouts.TestMilliseconds)]
    public async Task Get_parameters_lists_every_declared_parameter_with_kind_range_appliers_and_value()
    {
        var body = await (await Client.GetAsync("/api/parameters")).JsonAsync();

        var parameters = body.GetProperty("parameters").EnumerateArray().ToDictionary(p => p.GetProperty("path").GetString()!);
        Assert.Equal(ParameterCatalog.Flatten(ManifestLoader.LoadFile(ManifestPath)).Keys, parameters.Keys.Order(StringComparer.Ordinal));
        Assert.True(body.GetProperty("version").GetInt64() >= 0);
        var batch = parameters["routers.spilloverBatch"];
        Assert.Equal("integer", batch.GetProperty("kind").GetString());
        Assert.Equal(JsonValueKind.Number, batch.GetProperty("value").ValueKind);
        Assert.Equal(1, batch.GetProperty("min").GetDouble());
        Assert.Equal(10_000, batch.GetProperty("max").GetDouble());
        Assert.Contains("routers", batch.GetProperty("appliedBy").EnumerateArray().Select(a => a.GetString()));
        Assert.False(string.IsNullOrWhiteSpace(batch.GetProperty("description").GetString()));
        Assert.Equal("shardList", parameters["shards.earth.spilloverTargets"].GetProperty("kind").GetString());
        Assert.Equal(JsonValueKind.Array, parameters["shards.earth.spilloverTargets"].GetProperty("value").ValueKind);
        Assert.Equal("boolean", parameters["fabric.paused"].GetProperty("kind").GetString());
        Assert.Contains(parameters["fabric.paused"].GetProperty("value").ValueKind, new[] { JsonValueKind.True, JsonValueKind.False });
    }

    [Fact(Timeout = TestTimeouts.TestMilliseconds)]
    public async Task Get_parameter_by_path_answers_one_parameter()
    {
        var parameter = await (await Client.GetAsync("/api/parameters/nodes.MARS-ARES-02.concurrency")).JsonAsync();

        Assert.Equal("nodes.MARS-ARES-02.concurrency", parameter.GetProperty("path").GetString());
        Assert.Equal("integer", parameter.GetProperty("kind").GetString());
        Assert.True(parameter.GetProperty("value").GetInt32() >= 1);
        Assert.Equal(["nodeAgents", "routers"], parameter.GetProperty("appliedBy").EnumerateArray().Select(a => a.GetString()!).Order());
    }

    [Fact(Timeout = TestTimeouts.TestMilliseconds)]
    public async Task A_change_answers_before_after_and_version_is_stored_audited_with_its_actor_and_broadcast()
    {
        using var deadline = new CancellationTokenSource(TestTimeouts.Arrival * 2);
        var broadcasts = await fixture.Broker.SubscribeAsync<FabricParametersPublished>(deadline.Token);
        var before = (await ValueAsync("routers.spilloverBatch")).GetInt32();
        var after = before == 64 ? 65 : 64;
        var versionBefore = (await fixture.Parameters.CurrentAsync())?.Version ?? 0;

        var changed = await (await Client.SendAsync(Owner(HttpMethod.Put, "/api/parameters/routers.spilloverBatch", $$"""{"value": {{after}}}""", actor: "test-pilot"))).JsonAsync();

        Assert.Equal("routers.spilloverBatch", changed.GetProperty("path").GetString());
        Assert.Equal(before, changed.GetProperty("before").GetInt32());
        Assert.Equal(after, changed.GetProperty("after").GetInt32());
        var version = changed.GetProperty("version").GetInt64();
        Assert.Equal(versionBefore + 1, version);
        Assert.Equal("test-pilot", changed.GetProperty("actor").GetString());
        Assert.True(changed.GetProperty("published").GetBoolean());

        var stored = await fixture.Parameters.CurrentAsync();
        Assert.Equal(version, stored!.Version);
        Assert.Equal(after.ToString(System.Globalization.CultureInfo.InvariantCulture), stored.Values["routers.spilloverBatch"]);
        Assert.Equal(after, (await ValueAsync("routers.spilloverBatch")).GetInt32());

        var log = await (await Client.GetAsync("/api/owner-log")).JsonAsync();
        var entry = log.GetProperty("entries").EnumerateArray().Last();
        Assert.Equal(version, entry.GetProperty("version").GetInt64());
        Assert.Equal("test-pilot", entry.GetProperty("actor").GetString());
        Assert.Equal("routers.spilloverBatch", entry.GetProperty("path").GetString());
        Assert.Equal(before, entry.GetProperty("before").GetInt32());
        Assert.Equal(after, entry.GetProperty("after").GetInt32());
        Assert.True(entry.GetProperty("atMs").GetInt64() > 0);

        var published = await fixture.Broker.TakeAsync<FabricParametersPublished>(
            broadcasts, m => m.GetProperty("version").GetInt64() == version && m.GetProperty("changedPath").GetString() == "routers.spilloverBatch", deadline.Token);
        Assert.Equal("test-pilot", published.GetProperty("actor").GetString());
        Assert.Equal(after.ToString(System.Globalization.CultureInfo.InvariantCulture), published.GetProperty("values").GetProperty("routers.spilloverBatch").GetString());
        Assert.Equal(stored.Values.Count, published.GetProperty("values").EnumerateObject().Count());
    }

    [Fact(Timeout = TestTimeouts.TestMilliseconds)]
    public async Task The_current_parameters_are_republished_while_a_service_reports_an_older_version()
    {
        using var deadline = new CancellationTokenSource(TestTimeouts.Arrival * 2);
        await (await Client.SendAsync(Owner(HttpMethod.Post, "/api/resume?shard=edge"))).JsonAsync();
        var current = (await fixture.Parameters.CurrentAsync())!;
        var broadcasts = await fixture.Broker.SubscribeAsync<FabricParametersPublished>(deadline.Token);

        await fixture.Broker.PublishAsync(new ParametersApplied("node:LAGGING-TEST-NODE", current.Version - 1), deadline.Token);

        var republished = await fixture.Broker.TakeAsync<FabricParametersPublished>(
            broadcasts, m => m.GetProperty("changedPath").ValueKind == JsonValueKind.Null && m.GetProperty("version").GetInt64() >= current.Version, deadline.Token);
        Assert.Equal("owner-control", republished.GetProperty("actor").GetString());
        Assert.Equal(current.Values.Count, republished.GetProperty("values").EnumerateObject().Count());
        await fixture.Broker.PublishAsync(new ParametersApplied("node:LAGGING-TEST-NODE", long.MaxValue), deadline.Token); // caught up: stop repeating
    }

    [Fact(Timeout = TestTimeouts.TestMilliseconds)]
    public async Task A_drills_change_takes_the_same_validated_and_audited_path()
    {
        var changer = fixture.Factory.Services.GetRequiredService<IOwnerParameterChanger>();
        var version = (await fixture.Parameters.CurrentAsync())?.Version ?? 0;

        var refused = await changer.ChangeAsync("routers.spilloverBatch", "0", "drill-x", CancellationToken.None);

        Assert.False(refused.Succeeded);
        Assert.Contains("from 1 to 10000", refused.Problem, StringComparison.Ordinal);
        Assert.Equal(version, (await fixture.Parameters.CurrentAsync())?.Version ?? 0);

        var applied = await changer.ChangeAsync("routers.cooldownTicks", "4", "drill-x", CancellationToken.None);

        Assert.True(applied.Succeeded, applied.Problem);
        Assert.Equal(version + 1, applied.Version);
        Assert.Equal("4", applied.After);
        var entry = (await fixture.Parameters.OwnerLogAsync()).Last();
        Assert.Equal(("drill-x", "routers.cooldownTicks", version + 1), (entry.Actor, entry.Path, entry.Version));
        Assert.Equal(4, (await ValueAsync("routers.cooldownTicks")).GetInt32());
    }

    [Theory(Timeout = TestTimeouts.TestMilliseconds)]
    [InlineData("nodes.MARS-ARES-02.concurrency", "9")]
    [InlineData("shards.earth.spilloverThreshold", "75")]
    [InlineData("shards.earth.spilloverTargets", """["luna"]""")]
    [InlineData("nodes.EARTH-TITAN-01.reliability", "0.97")]
    [InlineData("execution.timeScale", "0.5")]
    [InlineData("routers.hopLimit", "\"3\"")]
    public async Task Parameters_of_every_kind_change_and_read_back(string path, string json)
    {
        var original = await ValueAsync(path);

        var changed = await (await Client.SendAsync(Owner(HttpMethod.Put, $"/api/parameters/{path}", $$"""{"value": {{json}}}"""))).JsonAsync();

        var expected = JsonDocument.Parse(json).RootElement is { ValueKind: JsonValueKind.String } text ? JsonDocument.Parse(text.GetString()!).RootElement : JsonDocument.Parse(json).RootElement;
        Assert.Equal(expected.GetRawText(), changed.GetProperty("after").GetRawText());
        Assert.Equal(original.GetRawText(), changed.GetProperty("before").GetRawText());
        Assert.Equal(expected.GetRawText(), (await ValueAsync(path)).GetRawText());

        await (await Client.SendAsync(Owner(HttpMethod.Put, $"/api/parameters/{path}", $$"""{"value": {{original.GetRawText()}}}"""))).JsonAsync();
    }

    [Fact(Timeout = TestTimeouts.TestMilliseconds)]
    public async Task Pause_and_resume_change_fabric_paused_as_audited_owner_changes()
    {
        var paused = await (await Client.SendAsync(Owner(HttpMethod.Post, "/api/pause", "{}", actor: "night-shift"))).JsonAsync();

        Assert.Equal("fabric.paused", paused.GetProperty("path").GetString());
        Assert.True(paused.GetProperty("after").GetBoolean());
        Assert.True((await ValueAsync("fabric.paused")).GetBoolean());

        var resumed = await (await Client.SendAsync(Owner(HttpMethod.Post, "/api/resume"))).JsonAsync();

        Assert.False(resumed.GetProperty("after").GetBoolean());
        Assert.Equal(paused.GetProperty("version").GetInt64() + 1, resumed.GetProperty("version").GetInt64());
        Assert.False((await ValueAsync("fabric.paused")).GetBoolean());
        var log = (await (await Client.GetAsync("/api/owner-log?limit=2")).JsonAsync()).GetProperty("entries").EnumerateArray().ToArray();
        Assert.Equal(["night-shift", "owner"], log.Select(e => e.GetProperty("actor").GetString()));
        Assert.All(log, e => Assert.Equal("fabric.paused", e.GetProperty("path").GetString()));
    }

    [Fact(Timeout = TestTimeouts.TestMilliseconds)]
    public async Task Pause_and_resume_of_one_shard_change_only_that_shard()
    {
        var paused = await (await Client.SendAsync(Owner(HttpMethod.Post, "/api/pause?shard=mars"))).JsonAsync();

        Assert.Equal("shards.mars.paused", paused.GetProperty("path").GetString());
        Assert.True((await ValueAsync("shards.mars.paused")).GetBoolean());
        Assert.False((await ValueAsync("shards.earth.paused")).GetBoolean());
        Assert.False((await ValueAsync("fabric.paused")).GetBoolean());

        await (await Client.SendAsync(Owner(HttpMethod.Post, "/api/resume?shard=mars"))).JsonAsync();

        Assert.False((await ValueAsync("shards.mars.paused")).GetBoolean());
    }

    [Fact(Timeout = TestTimeouts.TestMilliseconds)]
    public async Task Drain_and_resume_of_a_node_are_audited_changes_of_its_draining_parameter_and_an_unknown_node_is_a_404()
    {
        var drained = await (await Client.SendAsync(Owner(HttpMethod.Post, "/api/nodes/MARS-ARES-02/drain", actor: "night-shift"))).JsonAsync();

        Assert.Equal("nodes.MARS-ARES-02.draining", drained.GetProperty("path").GetString());
        Assert.True(drained.GetProperty("after").GetBoolean());
        Assert.True((await ValueAsync("nodes.MARS-ARES-02.draining")).GetBoolean());
        Assert.False((await ValueAsync("nodes.MARS-ARES-01.draining")).GetBoolean());

        var resumed = await (await Client.SendAsync(Owner(HttpMethod.Post, "/api/nodes/MARS-ARES-02/resume"))).JsonAsync();
        Assert.False(resumed.GetProperty("after").GetBoolean());
        Assert.False((await ValueAsync("nodes.MARS-ARES-02.draining")).GetBoolean());
        var log = (await (await Client.GetAsync("/api/owner-log?limit=2")).JsonAsync()).GetProperty("entries").EnumerateArray().ToArray();
        Assert.All(log, e => Assert.Equal("nodes.MARS-ARES-02.draining", e.GetProperty("path").GetString()));

        var version = (await fixture.Parameters.CurrentAsync())?.Version;
        await ProblemAssert.IsProblemAsync(await Client.SendAsync(Owner(HttpMethod.Post, "/api/nodes/NOPE-01/drain")), HttpStatusCode.NotFound, "unknown-node", "NOPE-01");
        Assert.Equal(version, (await fixture.Parameters.CurrentAsync())?.Version);
    }

    [Fact(Timeout = TestTimeouts.TestMilliseconds)]
    public async Task Owner_log_limit_keeps_the_newest_entries()
    {
        await (await Client.SendAsync(Owner(HttpMethod.Post, "/api/resume?shard=luna"))).JsonAsync();
        var version = (await fixture.Parameters.CurrentAsync())!.Version;

        var log = await (await Client.GetAsync("/api/owner-log?limit=1")).JsonAsync();

        Assert.Equal(1, log.GetProperty("count").GetInt32());
        Assert.Equal(version, log.GetProperty("entries")[0].GetProperty("version").GetInt64());
    }

    private async Task<JsonElement> ValueAsync(string path) =>
        (await (await Client.GetAsync($"/api/parameters/{path}")).JsonAsync()).GetProperty("value");
}
