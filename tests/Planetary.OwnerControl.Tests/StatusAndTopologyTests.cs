using System.Net;
using System.Text.Json;
using Planetary.Contracts;
using static Planetary.OwnerControl.Tests.OwnerControlFixture;

namespace Planetary.OwnerControl.Tests;

[Collection(OwnerControlCollection.Name)]
public sealed class StatusAndTopologyTests(OwnerControlFixture fixture)
{
    private HttpClient Client => fixture.Client;

    [Fact(Timeout = TestTimeouts.TestMilliseconds)]
    public async Task Status_shows_what_services_report_on_the_bus_their_parameter_versions_and_dead_letters()
    {
        using var deadline = new CancellationTokenSource(TestTimeouts.Arrival * 2);
        var version = (await fixture.Parameters.CurrentAsync())?.Version ?? 0;
        var faultedBefore = await fixture.Broker.DepthAsync("router-earth_error", deadline.Token);
        await fixture.Broker.PutAsync("router-earth_error", """{"poison": true}""", deadline.Token);
        await fixture.Broker.PublishAsync(RouterStatus("earth", queued: 7, version, nodes:
        [
            new ShardNodeStatus("EARTH-TITAN-01", true, true, 3, 12, ["governance"], 118),
            new ShardNodeStatus("EARTH-ATHENA-02", false, true, 0, 10, ["research"], 90),
        ]), deadline.Token);
        await fixture.Broker.PublishAsync(
            new NodeStatusReported("EARTH-TITAN-01", "earth", true, 3, 12, version, 40, 36, 1, 0, 0, 0, 0, 200, "agent-1", 5151), deadline.Token);
        await fixture.Broker.PublishAsync(new ParametersApplied("checkpointer", version), deadline.Token);

        var status = await PollAsync("/api/status", s =>
            Shard(s, "earth").GetProperty("reporting").GetBoolean()
            && Node(s, "EARTH-TITAN-01").GetProperty("agent").ValueKind == JsonValueKind.Object
            && Service(s, "checkpointer").GetProperty("appliedVersion").ValueKind == JsonValueKind.Number, deadline.Token);

        var earth = Shard(status, "earth");
        Assert.Equal(7, earth.GetProperty("queued").GetInt32());
        Assert.Equal(3, earth.GetProperty("running").GetInt32());
        Assert.Equal(1_000, earth.GetProperty("submitted").GetInt64());
        Assert.Equal(4242, earth.GetProperty("processId").GetInt32());
        Assert.InRange(earth.GetProperty("lastHeardMsAgo").GetInt64(), 0, 60_000);
        Assert.False(Shard(status, "luna").GetProperty("reporting").GetBoolean());

        Assert.Equal("online", Node(status, "EARTH-TITAN-01").GetProperty("state").GetString());
        Assert.Equal(5151, Node(status, "EARTH-TITAN-01").GetProperty("agent").GetProperty("processId").GetInt32());
        Assert.Equal("offline", Node(status, "EARTH-ATHENA-02").GetProperty("state").GetString());
        Assert.Equal("unknown", Node(status, "EDGE-HELIOS-PRIME").GetProperty("state").GetString());

        var parameters = status.GetProperty("parameters");
        Assert.True(parameters.GetProperty("version").GetInt64() >= version);
        Assert.Equal(JsonValueKind.Number, Service(status, "router:earth").GetProperty("appliedVersion").ValueKind);
        Assert.Equal(JsonValueKind.Null, Service(status, "node:MARS-ARES-01").GetProperty("appliedVersion").ValueKind);
        Assert.False(Service(status, "node:MARS-ARES-01").GetProperty("converged").GetBoolean());
        Assert.False(parameters.GetProperty("converged").GetBoolean());

        var deadLetters = status.GetProperty("deadLetters");
        Assert.True(deadLetters.GetProperty("available").GetBoolean(), deadLetters.ToString());
        var routerEarth = deadLetters.GetProperty("queues").EnumerateArray().Single(q => q.GetProperty("queue").GetString() == "router-earth");
        Assert.Equal("router-earth_error", routerEarth.GetProperty("errorQueue").GetString());
        Assert.Equal(faultedBefore + 1, routerEarth.GetProperty("faulted").GetInt64());
        Assert.True(deadLetters.GetProperty("total").GetInt64() >= 1);
        Assert.Equal(4 + 6 + 2, deadLetters.GetProperty("queues").GetArrayLength());
    }

    [Fact(Timeout = TestTimeouts.TestMilliseconds)]
    public async Task Topology_json_shows_the_manifest_with_live_queues_and_node_state()
    {
        using var deadline = new CancellationTokenSource(TestTimeouts.Arrival * 2);
        await fixture.Broker.PublishAsync(RouterStatus("edge", queued: 11, 0, nodes:
            [new ShardNodeStatus("EDGE-HELIOS-PRIME", false, true, 0, 16, ["gpu-acceleration", "research"], 40)]), deadline.Token);

        var topology = await PollAsync("/api/topology", t => Item(t, "shards", "edge").GetProperty("queued").ValueKind == JsonValueKind.Number, deadline.Token);

        Assert.Equal(4, topology.GetProperty("shards").GetArrayLength());
        Assert.Equal(6, topology.GetProperty("nodes").GetArrayLength());
        var edge = Item(topology, "shards", "edge");
        Assert.Equal("Helios Edge Halo", edge.GetProperty("label").GetString());
        Assert.Equal(11, edge.GetProperty("queued").GetInt32());
        Assert.Equal(["earth", "mars"], edge.GetProperty("spilloverTargets").EnumerateArray().Select(s => s.GetString()));
        Assert.Equal(JsonValueKind.Number, edge.GetProperty("spilloverThreshold").ValueKind);
        var prime = Item(topology, "nodes", "EDGE-HELIOS-PRIME");
        Assert.Equal("edge", prime.GetProperty("shard").GetString());
        Assert.False(prime.GetProperty("online").GetBoolean());
        Assert.Equal(["gpu-acceleration", "research"], prime.GetProperty("capabilities").EnumerateArray().Select(s => s.GetString()));
    }

    [Fact(Timeout = TestTimeouts.TestMilliseconds)]
    public async Task Topology_mermaid_with_paused_shards_and_offline_nodes_parses_with_mermaid()
    {
        using var deadline = new CancellationTokenSource(TestTimeouts.Arrival * 2);
        await fixture.Broker.PublishAsync(RouterStatus("mars", queued: 5, 0, nodes:
            [new ShardNodeStatus("MARS-ARES-02", false, true, 0, 8, ["terraforming"], 40)]), deadline.Token);
        await (await Client.SendAsync(Owner(HttpMethod.Post, "/api/pause?shard=luna"))).JsonAsync();
        try
        {
            var text = await PollTextAsync("/api/topology/mermaid", m => m.Contains(":::offline", StringComparison.Ordinal), deadline.Token);

            Assert.StartsWith("flowchart", text, StringComparison.Ordinal);
            Assert.Contains("shard_earth", text, StringComparison.Ordinal);
            Assert.Contains("node_MARS_ARES_02", text, StringComparison.Ordinal);
            Assert.Contains("(paused)", text, StringComparison.Ordinal);
            Assert.Contains("classDef offline", text, StringComparison.Ordinal);
            var (exitCode, output) = await MermaidChecker.ParseAsync(text, deadline.Token);
            Assert.True(exitCode == 0, $"Mermaid rejected the topology ({exitCode}): {output}\n{text}");
        }
        finally
        {
            await (await Client.SendAsync(Owner(HttpMethod.Post, "/api/resume?shard=luna"))).JsonAsync();
        }
    }

    [Fact(Timeout = TestTimeouts.TestMilliseconds)]
    public async Task The_mermaid_check_rejects_broken_mermaid()
    {
        using var deadline = new CancellationTokenSource(TestTimeouts.Arrival * 2);

        var (exitCode, output) = await MermaidChecker.ParseAsync("flowchart TD\n  shard_a[\"Earth \"quoted\"\"] --> node-b[[x]\n", deadline.Token);

        Assert.True(exitCode == 1, $"exit {exitCode}: {output}");
        Assert.Contains("error", output, StringComparison.OrdinalIgnoreCase);
    }

    private static ShardStatusReported RouterStatus(string shard, int queued, long version, IReadOnlyList<ShardNodeStatus> nodes) =>
        new(shard, 120, false, version, queued, 3, 0, 1_000, 0, 990, 2, 0, 1_200, 5, 1, 0, 0, 0, nodes, $"router-{shard}-test", 4242);

    private static JsonElement Shard(JsonElement status, string id) => Item(status, "shards", id);

    private static JsonElement Node(JsonElement status, string id) => Item(status, "nodes", id);

    private static JsonElement Service(JsonElement status, string name) =>
        status.GetProperty("parameters").GetProperty("services").EnumerateArray().Single(s => s.GetProperty("service").GetString() == name);

    private static JsonElement Item(JsonElement body, string list, string id) =>
        body.GetProperty(list).EnumerateArray().Single(s => s.GetProperty("id").GetString() == id);

    private async Task<JsonElement> PollAsync(string url, Func<JsonElement, bool> until, CancellationToken cancellationToken)
    {
        while (true)
        {
            var body = await (await Client.GetAsync(url, cancellationToken)).JsonAsync();
            if (until(body))
            {
                return body;
            }

            await Task.Delay(100, cancellationToken);
        }
    }

    private async Task<string> PollTextAsync(string url, Func<string, bool> until, CancellationToken cancellationToken)
    {
        while (true)
        {
            using var response = await Client.GetAsync(url, cancellationToken);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            if (until(text))
            {
                return text;
            }

            await Task.Delay(100, cancellationToken);
        }
    }
}
