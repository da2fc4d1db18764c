using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;

namespace Planetary.Console.Tests;

[Collection(ConsoleFleetCollection.Name)]
public sealed class OwnerControlViewTests(ConsoleFleet fleet)
{
    private const string Path = "routers.spilloverBatch";

    [Fact]
    public async Task A_parameter_changed_in_the_page_shows_in_the_owner_log_and_in_status()
    {
        var before = await fleet.GetJsonAsync($"/api/parameters/{Path}");
        var target = before.GetProperty("value").GetInt32() + 7;
        await using var console = await fleet.OpenAsync("control");
        var page = console.Page;
        var row = page.Locator($"#parameters-table tr[data-path='{Path}']");
        await Assertions.Expect(row.Locator(".current")).ToHaveTextAsync(before.GetProperty("value").GetRawText());
        await Assertions.Expect(row).ToContainTextAsync("integer, 1 to");

        await row.GetByLabel($"New value for {Path}").FillAsync(target.ToString());
        await row.GetByLabel($"New value for {Path}").PressAsync("Enter");

        // The first change asks for the token; a wrong one is refused and asked for again, with the API's reason.
        await console.GiveTokenAsync("not-the-owner-token");
        await Assertions.Expect(page.Locator("#token-reason")).ToContainTextAsync("was refused");
        await console.GiveTokenAsync(ConsoleFleet.Token);

        await Assertions.Expect(row.Locator(".param-msg")).ToContainTextAsync($"to {target}");
        await Assertions.Expect(row.Locator(".current")).ToHaveTextAsync(target.ToString());
        var log = page.Locator("#owner-log tbody tr").First;
        await Assertions.Expect(log).ToContainTextAsync(Path);
        await Assertions.Expect(log).ToContainTextAsync("console");
        await Assertions.Expect(log.Locator("td").Nth(5)).ToHaveTextAsync(target.ToString());

        // The API agrees: the value, the owner log, and the status's parameter version (applied by every service).
        var after = await fleet.GetJsonAsync($"/api/parameters/{Path}");
        Assert.Equal(target, after.GetProperty("value").GetInt32());
        var entries = (await fleet.GetJsonAsync("/api/owner-log")).GetProperty("entries").EnumerateArray().ToArray();
        var entry = entries[^1];
        Assert.Equal(Path, entry.GetProperty("path").GetString());
        Assert.Equal("console", entry.GetProperty("actor").GetString());
        var version = entry.GetProperty("version").GetInt64();
        await ConsoleFleet.WaitUntilAsync(async () =>
        {
            var parameters = (await fleet.GetJsonAsync("/api/status")).GetProperty("parameters");
            return parameters.GetProperty("version").GetInt64() == version && parameters.GetProperty("converged").GetBoolean();
        }, TimeSpan.FromSeconds(30), $"status shows version {version} applied by every service");

        // Once given, the token is kept for the session and never shown; the next change does not ask again.
        await console.AssertTokenKeptButNotShownAsync();
        await row.GetByLabel($"New value for {Path}").FillAsync(before.GetProperty("value").GetRawText());
        await row.GetByRole(AriaRole.Button, new() { Name = "Change" }).ClickAsync();
        await Assertions.Expect(row.Locator(".current")).ToHaveTextAsync(before.GetProperty("value").GetRawText());
        await Assertions.Expect(console.Dialog).Not.ToBeVisibleAsync();

        await page.Locator("#parameter-filter").FillAsync("spillover");
        await console.ScreenshotAsync("control");
        console.AssertNoScriptErrors();
    }

    [Theory]
    [InlineData("0", 422)]
    [InlineData("lots", 400)]
    public async Task A_bad_value_shows_the_api_error_and_changes_nothing(string typed, int status)
    {
        var versionBefore = (await fleet.GetJsonAsync("/api/parameters")).GetProperty("version").GetInt64();
        var logBefore = (await fleet.GetJsonAsync("/api/owner-log")).GetProperty("count").GetInt32();
        // What the API itself answers to the same value (it changes nothing either).
        using var direct = await fleet.Owner.PutAsJsonAsync($"/api/parameters/{Path}", new { value = typed == "0" ? (object)0 : typed });
        Assert.Equal(status, (int)direct.StatusCode);
        var problem = JsonDocument.Parse(await direct.Content.ReadAsStringAsync()).RootElement;

        await using var console = await fleet.OpenAsync("control");
        var page = console.Page;
        var row = page.Locator($"#parameters-table tr[data-path='{Path}']");
        var input = row.GetByLabel($"New value for {Path}");
        await input.FillAsync(typed);
        await input.PressAsync("Enter");
        await console.GiveTokenAsync(ConsoleFleet.Token);

        var message = row.Locator(".param-msg");
        await Assertions.Expect(message).ToContainTextAsync(problem.GetProperty("title").GetString()!);
        await Assertions.Expect(message).ToContainTextAsync(problem.GetProperty("detail").GetString()!);
        await Assertions.Expect(message).ToContainTextAsync("Nothing was changed.");
        await Assertions.Expect(input).ToHaveAttributeAsync("aria-invalid", "true");

        Assert.Equal(versionBefore, (await fleet.GetJsonAsync("/api/parameters")).GetProperty("version").GetInt64());
        Assert.Equal(logBefore, (await fleet.GetJsonAsync("/api/owner-log")).GetProperty("count").GetInt32());
        if (status == 422)
        {
            await page.Locator("#parameter-filter").FillAsync("routers.spillover");
            await console.ScreenshotAsync("control-error");
        }

        console.AssertNoScriptErrors();
    }

    [Fact]
    public async Task A_pause_from_the_page_stops_assignment_until_resumed()
    {
        await using var console = await fleet.OpenAsync("control");
        var page = console.Page;
        await page.GetByRole(AriaRole.Button, new() { Name = "Pause Mars Frontier Array" }).ClickAsync();
        await console.GiveTokenAsync(ConsoleFleet.Token);
        await Assertions.Expect(page.Locator("#notice")).ToContainTextAsync("Paused Mars Frontier Array");
        await ConsoleFleet.WaitUntilAsync(async () => Shard(await fleet.GetJsonAsync("/api/status"), "mars").GetProperty("paused").ValueKind == JsonValueKind.True,
            TimeSpan.FromSeconds(30), "the mars router reports itself paused");
        await Assertions.Expect(page.Locator("#shard-controls tr[data-shard='mars'] .pill")).ToHaveTextAsync("paused", new() { Timeout = 10_000 });
        await fleet.App.ResourceNotifications.WaitForResourceAsync("router-mars", "Paused").WaitAsync(TimeSpan.FromSeconds(20)); // the dashboard too

        var ids = Enumerable.Range(0, 4).Select(i => $"console-paused-{Guid.NewGuid():N}-{i}").ToArray();
        await fleet.SubmitAsync("mars", "governance-review", ids);
        await ConsoleFleet.WaitUntilAsync(async () => (await Task.WhenAll(ids.Select(fleet.JobStatusAsync))).All(s => s == "queued"),
            TimeSpan.FromSeconds(20), "the router has accepted the jobs");
        await Task.Delay(TimeSpan.FromSeconds(4)); // many ticks: a running shard assigns within one or two
        foreach (var id in ids)
        {
            var job = (await fleet.JobAsync(id))!.Value;
            Assert.Equal("queued", job.GetProperty("status").GetString());
            Assert.DoesNotContain(job.GetProperty("timeline").EnumerateArray(), e => e.GetProperty("event").GetString() == "assigned");
        }

        await page.Locator("nav a[data-view='fleet']").ClickAsync();
        await Assertions.Expect(page.Locator("#shards-table tr[data-shard='mars'] .pill")).ToHaveTextAsync("paused");
        await Assertions.Expect(page.Locator("#shards-table tr[data-shard='mars'] td").Nth(1)).Not.ToHaveTextAsync("0");
        await console.ScreenshotAsync("fleet-paused");

        await page.Locator("nav a[data-view='control']").ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Resume Mars Frontier Array" }).ClickAsync();
        await Assertions.Expect(page.Locator("#notice")).ToContainTextAsync("Resumed Mars Frontier Array");
        await ConsoleFleet.WaitUntilAsync(async () => (await Task.WhenAll(ids.Select(fleet.JobStatusAsync))).All(s => s == "completed"),
            TimeSpan.FromSeconds(60), "the jobs complete once mars is resumed");
        await fleet.App.ResourceNotifications.WaitForResourceAsync("router-mars", Aspire.Hosting.ApplicationModel.KnownResourceStates.Running).WaitAsync(TimeSpan.FromSeconds(20));
        console.AssertNoScriptErrors();
    }

    private static JsonElement Shard(JsonElement status, string id) =>
        status.GetProperty("shards").EnumerateArray().Single(s => s.GetProperty("id").GetString() == id);
}
