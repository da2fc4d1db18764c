using Microsoft.Playwright;

namespace Planetary.Console.Tests;

[Collection(ConsoleFleetCollection.Name)]
public sealed class FleetViewTests(ConsoleFleet fleet)
{
    [Fact]
    public async Task The_fleet_view_shows_every_shard_and_node_and_refreshes_itself()
    {
        await using var console = await fleet.OpenAsync("fleet");
        var page = console.Page;

        var shards = page.Locator("#shards-table tbody tr");
        await Assertions.Expect(shards).ToHaveCountAsync(fleet.Shards.Count);
        foreach (var shard in fleet.Shards)
        {
            await Assertions.Expect(page.Locator($"#shards-table tr[data-shard='{shard}'] .pill")).ToHaveTextAsync("running");
            await Assertions.Expect(page.Locator($"#spillover-links li[data-shard='{shard}']")).ToContainTextAsync("spills to");
        }

        await Assertions.Expect(page.Locator("#nodes-table tbody tr")).ToHaveCountAsync(fleet.Nodes.Count);
        foreach (var node in fleet.Nodes)
        {
            var row = page.Locator($"#nodes-table tr[data-node='{node}']");
            await Assertions.Expect(row.Locator(".pill")).ToHaveTextAsync("online");
            await Assertions.Expect(row).ToContainTextAsync(" / "); // running / slots
        }

        await Assertions.Expect(page.Locator("#shards-table tr[data-shard='earth'] th")).ToContainTextAsync("Earth Continental Grid");

        // Live: the page reads the status again by itself (no reload), and draws both charts from the history.
        var updated = await page.Locator("#fleet-updated").InnerTextAsync();
        await Assertions.Expect(page.Locator("#fleet-updated")).Not.ToHaveTextAsync(updated, new() { Timeout = 10_000 });
        await Assertions.Expect(page.Locator("#queue-chart svg path.series")).ToHaveCountAsync(fleet.Shards.Count, new() { Timeout = 15_000 });
        await Assertions.Expect(page.Locator("#throughput-chart .chart-summary")).ToContainTextAsync("jobs per second");

        await console.ScreenshotAsync("fleet", fullPage: true);
        console.AssertNoScriptErrors();
    }

    [Fact]
    public async Task A_fresh_fleet_logged_no_error()
    {
        // A fresh fleet: everything its services printed until ten seconds after every one of them was healthy.
        var until = fleet.ReadyAt.AddSeconds(10);
        var wait = until - DateTimeOffset.UtcNow;
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait);
        }

        var lines = fleet.Logs.Where(l => l.At <= until).ToArray();
        Assert.True(lines.Length > 50, $"only {lines.Length} log lines were captured: the check would prove nothing");
        // Each error with the lines its resource printed next (a console log entry's message follows its level line).
        var errors = lines
            .Select((line, index) => (line, index))
            .Where(l => LogLines.IsErrorOrWorse(l.line.Line))
            .Select(l => $"{l.line.Resource}: {l.line.Line}\n" + string.Join("\n",
                lines.Skip(l.index + 1).Where(next => next.Resource == l.line.Resource).Take(3).Select(next => $"    {next.Line}")))
            .ToArray();
        Assert.True(errors.Length == 0, $"{errors.Length} error-level lines, e.g.\n" + string.Join("\n", errors.Take(5)));
    }

    [Fact]
    public void The_error_line_check_fires_on_error_and_critical_lines_only()
    {
        Assert.True(LogLines.IsErrorOrWorse("fail: Microsoft.Extensions.Diagnostics.HealthChecks.DefaultHealthCheckService[103]"));
        Assert.True(LogLines.IsErrorOrWorse("\u001b[41m\u001b[30mfail\u001b[39m\u001b[22m\u001b[49m: Planetary.ShardRouter[0]"));
        Assert.True(LogLines.IsErrorOrWorse("crit: Microsoft.Hosting.Lifetime[0]"));
        Assert.False(LogLines.IsErrorOrWorse("info: Health check router-recovered is Unhealthy while the service starts: starting"));
        Assert.False(LogLines.IsErrorOrWorse("warn: Planetary.OwnerControl[0]"));
        Assert.False(LogLines.IsErrorOrWorse("      the job failed: over its retry limit"));
    }
}
