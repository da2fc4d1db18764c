using Microsoft.Playwright;

namespace Planetary.Console.Tests;

[Collection(ConsoleFleetCollection.Name)]
public sealed class JobsViewTests(ConsoleFleet fleet)
{
    [Fact]
    public async Task A_job_found_by_id_shows_where_it_is_and_its_timeline()
    {
        var id = $"console-job-{Guid.NewGuid():N}";
        await fleet.SubmitAsync("earth", "governance-review", id);
        await ConsoleFleet.WaitUntilAsync(async () => await fleet.JobStatusAsync(id) == "completed", TimeSpan.FromSeconds(60), $"{id} completes");

        await using var console = await fleet.OpenAsync("jobs");
        var page = console.Page;
        await page.GetByLabel("Job id").FillAsync(id);
        await page.GetByRole(AriaRole.Button, new() { Name = "Find job" }).ClickAsync();

        var view = page.Locator("#job-view");
        await Assertions.Expect(view.Locator("h3 .pill")).ToHaveTextAsync("completed");
        await Assertions.Expect(view.Locator("#job-facts")).ToContainTextAsync("Earth Continental Grid");
        await Assertions.Expect(view.Locator("#job-facts")).ToContainTextAsync("governance-review");
        var events = view.Locator("#job-timeline tbody tr td:nth-child(3)");
        var job = (await fleet.JobAsync(id))!.Value;
        await Assertions.Expect(events).ToHaveTextAsync(job.GetProperty("timeline").EnumerateArray().Select(e => e.GetProperty("event").GetString()!).ToArray());
        await Assertions.Expect(events.First).ToHaveTextAsync("accepted");
        await Assertions.Expect(events.Last).ToHaveTextAsync("completed");

        // Submitted over HTTP, the job's trace is recorded; the page links to it in the dashboard (or names it without one).
        var traceId = job.GetProperty("outcome").GetProperty("traceParent").GetString()!.Split('-')[1];
        var dashboard = (await fleet.GetJsonAsync("/api/console")).GetProperty("traceUrlTemplate");
        if (dashboard.ValueKind == System.Text.Json.JsonValueKind.String)
        {
            await Assertions.Expect(view.Locator("#job-trace")).ToHaveAttributeAsync("href", dashboard.GetString()!.Replace("{traceId}", traceId));
        }
        else
        {
            await Assertions.Expect(view).ToContainTextAsync($"Trace id {traceId}");
        }

        await console.ScreenshotAsync("job");

        await page.GetByLabel("Job id").FillAsync("no-such-job-anywhere");
        await page.GetByRole(AriaRole.Button, new() { Name = "Find job" }).ClickAsync();
        await Assertions.Expect(page.Locator("#job-error")).ToContainTextAsync("Unknown job: Nothing is known about job 'no-such-job-anywhere'");
        console.AssertNoScriptErrors();
    }

    [Fact]
    public async Task A_queued_job_is_cancelled_from_the_page()
    {
        using (var pause = await fleet.Owner.PostAsync("/api/pause?shard=luna", null))
        {
            Assert.True(pause.IsSuccessStatusCode);
        }

        await ConsoleFleet.WaitUntilAsync(async () => (await fleet.GetJsonAsync("/api/status")).GetProperty("shards").EnumerateArray()
                .Single(s => s.GetProperty("id").GetString() == "luna").GetProperty("paused").ValueKind == System.Text.Json.JsonValueKind.True,
            TimeSpan.FromSeconds(30), "the luna router reports itself paused");

        try
        {
            var id = $"console-cancel-{Guid.NewGuid():N}";
            await fleet.SubmitAsync("luna", "logistics-routing", id); // luna can run it (a job it cannot run is forwarded, paused or not)
            await ConsoleFleet.WaitUntilAsync(async () => await fleet.JobStatusAsync(id) == "queued", TimeSpan.FromSeconds(30), $"{id} is queued");

            await using var console = await fleet.OpenAsync($"jobs/{id}");
            var page = console.Page;
            await Assertions.Expect(page.Locator("#job-view h3 .pill")).ToHaveTextAsync("queued");
            page.Dialog += (_, dialog) => dialog.AcceptAsync();
            await page.GetByRole(AriaRole.Button, new() { Name = "Cancel this job" }).ClickAsync();
            await console.GiveTokenAsync(ConsoleFleet.Token);
            await Assertions.Expect(page.Locator("#notice")).ToContainTextAsync($"Asked luna to cancel {id}");
            await Assertions.Expect(page.Locator("#job-view h3 .pill")).ToHaveTextAsync("cancelled", new() { Timeout = 20_000 });
            Assert.Equal("cancelled", await fleet.JobStatusAsync(id));
            console.AssertNoScriptErrors();
        }
        finally
        {
            using var resume = await fleet.Owner.PostAsync("/api/resume?shard=luna", null);
        }
    }

    [Fact]
    public async Task A_failed_job_shows_in_the_failed_inbox_with_its_reason_and_is_requeued_from_the_page()
    {
        const string node = "LUNA-HYPERION-01"; // luna's only node
        var id = $"console-failed-{Guid.NewGuid():N}";
        await SetAsync("routers.maxAttempts", 1);
        await SetAsync($"nodes.{node}.reliability", 0);
        try
        {
            await ConsoleFleet.WaitUntilAsync(async () => (await fleet.GetJsonAsync("/api/status")).GetProperty("parameters").GetProperty("converged").GetBoolean(),
                TimeSpan.FromSeconds(30), "every service applied the owner's parameters");
            await fleet.SubmitAsync("luna", "logistics-routing", id);
            await ConsoleFleet.WaitUntilAsync(async () => await fleet.JobStatusAsync(id) == "failed", TimeSpan.FromSeconds(60), $"{id} fails");
            await SetAsync($"nodes.{node}.reliability", 1);

            await using var console = await fleet.OpenAsync("jobs");
            var page = console.Page;
            await page.Locator("#list-shard").SelectOptionAsync("luna");
            await page.GetByRole(AriaRole.Button, new() { Name = "Failed inbox" }).ClickAsync();
            var row = page.Locator("#job-list-table tbody tr", new() { HasText = id });
            await Assertions.Expect(row).ToContainTextAsync("failed");
            await Assertions.Expect(row).ToContainTextAsync("logistics-routing");
            await Assertions.Expect(row).ToContainTextAsync("attempt 1 of 1");
            await Assertions.Expect(page.Locator("#job-reasons")).ToBeVisibleAsync();
            await console.ScreenshotAsync("jobs-failed-inbox");

            await row.GetByRole(AriaRole.Button, new() { Name = $"Requeue {id}" }).ClickAsync();
            await console.GiveTokenAsync(ConsoleFleet.Token);
            await Assertions.Expect(page.Locator("#notice")).ToContainTextAsync("Requeued 1 job(s).");
            await ConsoleFleet.WaitUntilAsync(async () => await fleet.JobStatusAsync(id) == "completed", TimeSpan.FromSeconds(60), $"{id} runs again and completes");

            await page.Locator("#list-state").SelectOptionAsync("completed");
            await page.GetByRole(AriaRole.Button, new() { Name = "List jobs" }).ClickAsync();
            await Assertions.Expect(page.Locator("#job-list-table tbody tr", new() { HasText = id })).ToContainTextAsync("completed");
            console.AssertNoScriptErrors();
        }
        finally
        {
            await SetAsync($"nodes.{node}.reliability", 0.992);
            await SetAsync("routers.maxAttempts", 4);
        }
    }

    private async Task SetAsync(string path, object value) =>
        await fleet.SendJsonAsync(HttpMethod.Put, $"/api/parameters/{path}", new { value });
}
