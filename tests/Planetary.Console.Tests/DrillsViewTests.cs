using Microsoft.Playwright;

namespace Planetary.Console.Tests;

[Collection(ConsoleFleetCollection.Name)]
public sealed class DrillsViewTests(ConsoleFleet fleet)
{
    /// <summary>Jobs per shard of the drill (<c>PLANETARY_CONSOLE_DRILL_JOBS</c>; the documentation's screenshots use a bigger one).</summary>
    private static readonly int JobsPerShard = int.TryParse(Environment.GetEnvironmentVariable("PLANETARY_CONSOLE_DRILL_JOBS"), out var n) ? n : 60;

    [Fact]
    public async Task A_drill_started_from_the_page_finishes_with_its_report_shown()
    {
        await using var console = await fleet.OpenAsync("drills");
        var page = console.Page;
        await page.GetByLabel("Jobs per shard").FillAsync(JobsPerShard.ToString());
        await page.GetByLabel("Seed").FillAsync("7");
        await Assertions.Expect(page.GetByLabel("Node outage")).ToBeCheckedAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Start drill" }).ClickAsync();
        await console.GiveTokenAsync(ConsoleFleet.Token);

        var progress = page.Locator("#drill-progress");
        await Assertions.Expect(progress).ToContainTextAsync($"{JobsPerShard} jobs per shard, seed 7");
        await Assertions.Expect(progress.Locator("#drill-shards tbody tr")).ToHaveCountAsync(fleet.Shards.Count);
        await console.ScreenshotAsync("drill-progress");

        var report = page.Locator("#drill-report");
        await Assertions.Expect(report.Locator(".verdict")).ToBeVisibleAsync(new() { Timeout = 240_000 });
        await Assertions.Expect(progress.Locator(".pill").First).ToHaveTextAsync("completed");

        // The page shows what the API reports: the verdict, every check with its figure, nodes, shards and the chart.
        var id = page.Url[(page.Url.IndexOf("#drills/", StringComparison.Ordinal) + "#drills/".Length)..];
        var api = await fleet.GetJsonAsync($"/api/drills/{id}/report");
        var checks = api.GetProperty("checks").EnumerateArray().ToArray();
        await Assertions.Expect(report.Locator(".verdict")).ToHaveTextAsync(api.GetProperty("passed").GetBoolean()
            ? "Every acceptance check holds."
            : $"{checks.Count(c => !c.GetProperty("passed").GetBoolean())} acceptance check(s) failed.");
        var rows = report.Locator("#report-checks tbody tr");
        await Assertions.Expect(rows).ToHaveCountAsync(checks.Length);
        Assert.True(checks.Length >= 7 + fleet.Nodes.Count, $"{checks.Length} checks");
        for (var i = 0; i < checks.Length; i++)
        {
            await Assertions.Expect(rows.Nth(i)).ToContainTextAsync(checks[i].GetProperty("figure").GetString()!);
            await Assertions.Expect(rows.Nth(i).Locator(".pill")).ToHaveTextAsync(checks[i].GetProperty("passed").GetBoolean() ? "passed" : "failed");
        }

        await Assertions.Expect(report.Locator("#report-summary")).ToContainTextAsync($"Jobs submitted{(JobsPerShard * fleet.Shards.Count).ToString("N0", System.Globalization.CultureInfo.InvariantCulture)}");
        await Assertions.Expect(report.Locator("#report-summary")).ToContainTextAsync("Slot ceiling");
        await Assertions.Expect(report.Locator("#report-summary")).ToContainTextAsync("of the ceiling (ran ");
        await Assertions.Expect(report.Locator("#report-nodes tbody tr")).ToHaveCountAsync(fleet.Nodes.Count);
        await Assertions.Expect(report.Locator("#report-shards tbody tr")).ToHaveCountAsync(fleet.Shards.Count);
        await Assertions.Expect(report.Locator("#report-owner-change")).ToContainTextAsync("routers.spilloverBatch");
        // One line per shard; a shard whose queue stayed empty draws a flat line, which has no height (so not "visible").
        await Assertions.Expect(report.Locator("#report-queue-chart svg")).ToBeVisibleAsync();
        await Assertions.Expect(report.Locator("#report-queue-chart svg path.series")).ToHaveCountAsync(fleet.Shards.Count);

        await console.ScreenshotAsync("drill-report", fullPage: true);
        console.AssertNoScriptErrors();
    }

    [Fact]
    public async Task A_drill_request_the_api_refuses_shows_its_problem()
    {
        await using var console = await fleet.OpenAsync("drills");
        var page = console.Page;
        await page.GetByLabel("Jobs per shard").FillAsync("0");
        await page.GetByRole(AriaRole.Button, new() { Name = "Start drill" }).ClickAsync();
        await console.GiveTokenAsync(ConsoleFleet.Token);

        var error = page.Locator("#drill-form-error");
        await Assertions.Expect(error).ToContainTextAsync("The drill did not start: Invalid drill request: jobsPerShard must be from 1");
        console.AssertNoScriptErrors();
    }
}
