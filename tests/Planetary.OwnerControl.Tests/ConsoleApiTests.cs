using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Planetary.Fabric.Journal;
using Planetary.Fabric.Reporting;
using Planetary.OwnerControl.Drills;

namespace Planetary.OwnerControl.Tests;

/// <summary>The owner console's page and the routes added for it: console info, fleet history, drill report.</summary>
[Collection(OwnerControlCollection.Name)]
public sealed class ConsoleApiTests(OwnerControlFixture fixture)
{
    [Fact(Timeout = TestTimeouts.TestMilliseconds)]
    public async Task The_console_is_served_at_the_root_with_its_scripts()
    {
        using var page = await fixture.Client.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("<title>Owner console", html);
        Assert.Contains("src=\"js/app.js\"", html);
        Assert.Equal("no-cache", page.Headers.CacheControl?.ToString());

        foreach (var script in new[] { "app", "api", "dom", "chart", "fleet", "control", "drills", "jobs" })
        {
            using var js = await fixture.Client.GetAsync($"/js/{script}.js");
            Assert.True(js.IsSuccessStatusCode, script);
            Assert.Equal("text/javascript", js.Content.Headers.ContentType?.MediaType);
        }

        var info = await (await fixture.Client.GetAsync("/api/console")).JsonAsync();
        Assert.Equal("Planetary Orchestrator Fabric", info.GetProperty("fabric").GetString());
        Assert.Equal(JsonValueKind.Null, info.GetProperty("traceUrlTemplate").ValueKind); // no dashboard configured here

        // Unknown routes are still problems, not the page.
        await ProblemAssert.IsProblemAsync(await fixture.Client.GetAsync("/api/nothing-here"), HttpStatusCode.NotFound);
    }

    [Fact(Timeout = TestTimeouts.TestMilliseconds)]
    public async Task The_fleet_history_answers_per_shard_and_refuses_bad_windows()
    {
        await Task.Delay(TimeSpan.FromSeconds(2.5)); // at least one sample (every 2 s)
        var history = await (await fixture.Client.GetAsync("/api/status/history")).JsonAsync();
        Assert.Equal(["earth", "luna", "mars", "edge"], history.GetProperty("shards").EnumerateArray().Select(s => s.GetString()));
        Assert.Equal(2_000, history.GetProperty("intervalMs").GetInt64());
        Assert.Equal(120 * 60_000, history.GetProperty("retentionMs").GetInt64());
        var points = history.GetProperty("points").EnumerateArray().ToArray();
        Assert.NotEmpty(points);
        Assert.All(points, p => Assert.Equal(4, p.GetProperty("queued").GetArrayLength()));

        await ProblemAssert.IsProblemAsync(await fixture.Client.GetAsync("/api/status/history?points=1"), HttpStatusCode.UnprocessableEntity, "out-of-range", "points must be an integer from 2 to 2000, got 1");
        await ProblemAssert.IsProblemAsync(await fixture.Client.GetAsync("/api/status/history?sinceMs=10&untilMs=5"), HttpStatusCode.UnprocessableEntity, "out-of-range", "sinceMs (10)");
        await ProblemAssert.IsProblemAsync(await fixture.Client.GetAsync("/api/status/history?points=many"), HttpStatusCode.BadRequest, "malformed-request");
        var empty = await (await fixture.Client.GetAsync("/api/status/history?sinceMs=1&untilMs=2")).JsonAsync();
        Assert.Equal(0, empty.GetProperty("points").GetArrayLength());
    }

    [Fact(Timeout = TestTimeouts.TestMilliseconds)]
    public async Task A_drill_report_is_its_summary_every_check_and_its_nodes()
    {
        var directory = Directory.CreateTempSubdirectory("planetary-report-");
        try
        {
            var nodes = new[] { Node("EARTH-TITAN-01", 5), Node("MARS-ARES-02", 0) };
            await File.WriteAllTextAsync(Path.Combine(directory.FullName, "nodes.json"), JsonSerializer.Serialize<IReadOnlyList<NodeFigures>>(nodes, FabricJson.Options));
            var summary = AcceptanceCheckViewTests.Passing();
            var failures = AcceptanceChecks.Failures(summary, nodes);
            var runner = new ReportRunner(
                Progress("drill-running", DrillState.Running, null, null, []),
                Progress("drill-failed", DrillState.Failed, null, null, []) with { Error = "routers of [earth] have not reported within 60 s" },
                Progress("drill-done", DrillState.Completed, summary, directory.FullName, failures),
                Progress("drill-lost-bundle", DrillState.Completed, summary, Path.Combine(directory.FullName, "gone"), []));
            await using var factory = fixture.CreateFactory(OwnerControlFixture.Token, services => services.AddSingleton<IDrillRunner>(runner));
            using var client = factory.CreateClient();

            await ProblemAssert.IsProblemAsync(await client.GetAsync("/api/drills/drill-nope/report"), HttpStatusCode.NotFound, "unknown-drill", "drill-nope");
            await ProblemAssert.IsProblemAsync(await client.GetAsync("/api/drills/drill-running/report"), HttpStatusCode.Conflict, "drill-not-finished", "is running");
            await ProblemAssert.IsProblemAsync(await client.GetAsync("/api/drills/drill-failed/report"), HttpStatusCode.Conflict, "drill-not-finished", "have not reported within 60 s");

            var report = await (await client.GetAsync("/api/drills/drill-done/report")).JsonAsync();
            Assert.False(report.GetProperty("passed").GetBoolean());
            Assert.Equal(2, report.GetProperty("nodes").GetArrayLength());
            var checks = report.GetProperty("checks").EnumerateArray().ToArray();
            var failed = Assert.Single(checks, c => !c.GetProperty("passed").GetBoolean());
            Assert.Equal("Node MARS-ARES-02 did work", failed.GetProperty("name").GetString());
            Assert.Equal("node MARS-ARES-02 completed no job", failed.GetProperty("failure").GetString());
            Assert.Contains(checks, c => c.GetProperty("name").GetString() == "Failed-assignment rate" && c.GetProperty("figure").GetString()!.StartsWith("1.00%", StringComparison.Ordinal));

            var lost = await (await client.GetAsync("/api/drills/drill-lost-bundle/report")).JsonAsync();
            Assert.True(lost.GetProperty("passed").GetBoolean());
            Assert.Equal(JsonValueKind.Null, lost.GetProperty("nodes").ValueKind);
            Assert.Contains("nodes.json could not be read", lost.GetProperty("nodesProblem").GetString());
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    private static NodeFigures Node(string id, long completed) => new(id, "earth", 4, 0.99, completed, completed, 0, 0, 0, 0, completed, 0.5);

    private static DrillProgress Progress(string id, DrillState state, DrillSummary? summary, string? directory, IReadOnlyList<string> failures) =>
        new(id, state, "owner", 1, state == DrillState.Running ? null : 2, 100, 42, 0, 0, 0, new Dictionary<string, ShardProgress>(), [], directory, summary, failures, null);

    private sealed class ReportRunner(params DrillProgress[] drills) : IDrillRunner
    {
        public Task<DrillStart> StartAsync(DrillRequest request, string actor, CancellationToken cancellationToken) =>
            Task.FromResult(new DrillStart(null, DrillRefusal.Busy, "not in this test"));

        public DrillProgress? Find(string id) => drills.FirstOrDefault(d => d.Id == id);

        public IReadOnlyList<DrillProgress> All() => drills;
    }
}
