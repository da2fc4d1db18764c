using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Planetary.Console.Tests;

/// <summary>
/// One live fleet for the collection, started through the real app host (local RabbitMQ and Redis on free ports, four
/// routers, six agents, owner control, the checkpointer), and one headless Debian chromium driven by Playwright. Every
/// service's console log is kept from its first line, so a test can read what a fresh fleet logged.
/// </summary>
public sealed class ConsoleFleet : IAsyncLifetime
{
    public const string Token = "console-test-owner-token";
    public const string ChromiumPath = "/usr/bin/chromium";

    /// <summary>With <c>PLANETARY_CONSOLE_SCREENSHOTS=dir</c>, the tests save a PNG of each view there (docs/console/).</summary>
    public static readonly string? ScreenshotDirectory = Environment.GetEnvironmentVariable("PLANETARY_CONSOLE_SCREENSHOTS");

    public static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(4);

    private static readonly string[] ChromiumFlags =
    [
        // As root, without a GPU, on a machine whose network is closed beyond loopback (docs: machines/dotnet.md).
        "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync",
    ];

    private DirectoryInfo? _state;
    private Planetary.AppHost.Infrastructure.InfrastructureInUse? _infrastructure;
    private IPlaywright? _playwright;
    private readonly CancellationTokenSource _stopLogs = new();

    public DistributedApplication App { get; private set; } = null!;

    /// <summary>Owner control's API with the owner token.</summary>
    public HttpClient Owner { get; private set; } = null!;

    /// <summary>Where the console is: owner control's root.</summary>
    public string ConsoleUrl { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    /// <summary>Every line each service wrote to its console, with when the test saw it.</summary>
    public ConcurrentQueue<(string Resource, DateTimeOffset At, string Line)> Logs { get; } = new();

    /// <summary>When every service was healthy.</summary>
    public DateTimeOffset ReadyAt { get; private set; }

    public IReadOnlyList<string> Shards { get; } = ["earth", "luna", "mars", "edge"];

    public IReadOnlyList<string> Nodes { get; } = ["EARTH-TITAN-01", "EARTH-ATHENA-02", "LUNA-HYPERION-01", "MARS-ARES-01", "MARS-ARES-02", "EDGE-HELIOS-PRIME"];

    public static string RepositoryRoot
    {
        get
        {
            var directory = new DirectoryInfo(AppContext.BaseDirectory);
            while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Planetary.Aspire.sln")))
            {
                directory = directory.Parent;
            }

            return directory?.FullName ?? throw new InvalidOperationException("The repository root was not found.");
        }
    }

    public IEnumerable<string> ResourceNames =>
        new[] { "owner-control", "checkpointer" }
            .Concat(Shards.Select(s => $"router-{s}"))
            .Concat(Nodes.Select(n => $"agent-{n.ToLowerInvariant()}"));

    public async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException($"{ChromiumPath} is missing: install Debian's chromium (apt-get install -y chromium; scripts/prerequisites.sh does it).");
        }

        using var timeout = new CancellationTokenSource(StartTimeout);
        var browser = StartBrowserAsync();
        _state = Directory.CreateTempSubdirectory("planetary-console-");
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.Planetary_AppHost>(
        [
            "--Infrastructure:Mode=auto",
            $"--Infrastructure:Containers:VolumePrefix=planetary-test-{Guid.NewGuid():N}", // never the operator's volumes
            "--Infrastructure:Local:RabbitMqPort=0",
            "--Infrastructure:Local:RabbitMqDistributionPort=0",
            "--Infrastructure:Local:EpmdPort=0",
            "--Infrastructure:Local:RedisPort=0",
            $"--Infrastructure:Local:StateDirectory={_state.FullName}",
            "--OwnerControl:Port=0",
            $"--Parameters:owner-token={Token}",
            "--OwnerControl:TokenFile=",
            $"--Fabric:ManifestPath={Path.Combine(RepositoryRoot, "config", "fabric.json")}",
        ], timeout.Token);

        foreach (var project in builder.Resources.OfType<ProjectResource>().ToArray())
        {
            builder.CreateResourceBuilder(project)
                .WithEnvironment("Drills__ReportsDirectory", Path.Combine(_state.FullName, "reports"))
                .WithEnvironment("OwnerControl__HistoryIntervalMs", "500"); // short drills still draw a chart
        }

        App = await builder.BuildAsync(timeout.Token);
        _infrastructure = Planetary.AppHost.Infrastructure.InfrastructureInUse.Of(App.Services);
        KeepLogsFromTheStart();
        await App.StartAsync(timeout.Token);
        foreach (var name in ResourceNames)
        {
            await App.ResourceNotifications.WaitForResourceHealthyAsync(name, timeout.Token);
        }

        ReadyAt = DateTimeOffset.UtcNow;
        Owner = App.CreateHttpClient("owner-control", "http");
        Owner.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        ConsoleUrl = Owner.BaseAddress!.ToString().TrimEnd('/');
        Browser = await browser;
        await WaitUntilAsync(async () =>
        {
            var status = await GetJsonAsync("/api/status");
            return status.GetProperty("shards").EnumerateArray().All(s => s.GetProperty("reporting").GetBoolean())
                   && status.GetProperty("nodes").EnumerateArray().All(n => n.GetProperty("state").GetString() == "online");
        }, TimeSpan.FromSeconds(60), "every router and agent reports to owner control");
    }

    public async Task DisposeAsync()
    {
        await _stopLogs.CancelAsync();
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }

        _playwright?.Dispose();
        Owner?.Dispose();
        if (App is not null)
        {
            await App.StopAsync().WaitAsync(TimeSpan.FromMinutes(1));
            await App.DisposeAsync();
        }

        _infrastructure?.RemoveDataVolumes();
        _state?.Delete(recursive: true);
    }

    /// <summary>A fresh browser context (its own sessionStorage: no owner token yet) and a page that records script errors.</summary>
    public async Task<ConsolePage> OpenAsync(string hash)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1400, Height = 1000 } });
        var page = await context.NewPageAsync();
        var console = new ConsolePage(page, this);
        await page.GotoAsync($"{ConsoleUrl}/#{hash}");
        await Assertions.Expect(page.Locator("#fabric-state")).Not.ToHaveTextAsync("connecting…");
        return console;
    }

    public async Task<JsonElement> GetJsonAsync(string path)
    {
        using var response = await Owner.GetAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET {path}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    public async Task<JsonElement> SendJsonAsync(HttpMethod method, string path, object body)
    {
        using var response = await Owner.SendAsync(new HttpRequestMessage(method, path) { Content = JsonContent.Create(body) });
        var text = await response.Content.ReadAsStringAsync();
        return JsonDocument.Parse(text.Length == 0 ? "{}" : text).RootElement.Clone();
    }

    /// <summary>Submits jobs with the given ids to a shard over the owner API.</summary>
    public async Task SubmitAsync(string shard, string template, params string[] ids)
    {
        using var response = await Owner.PostAsJsonAsync("/api/jobs", new { shard, jobs = ids.Select(id => new { id, template }).ToArray() });
        Assert.True(response.IsSuccessStatusCode, $"POST /api/jobs: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    /// <summary>The job's status as <c>GET /api/jobs/{id}</c> says (null while unknown).</summary>
    public async Task<JsonElement?> JobAsync(string id)
    {
        using var response = await Owner.GetAsync($"/api/jobs/{Uri.EscapeDataString(id)}");
        return response.IsSuccessStatusCode ? JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone() : null;
    }

    public async Task<string?> JobStatusAsync(string id) => (await JobAsync(id))?.GetProperty("status").GetString();

    public static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var stopwatch = Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.True(stopwatch.Elapsed < timeout, $"timed out after {timeout.TotalSeconds} s waiting until {what}");
            await Task.Delay(200);
        }
    }

    private async Task<IBrowser> StartBrowserAsync()
    {
        _playwright = await Microsoft.Playwright.Playwright.CreateAsync();
        return await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ChromiumFlags,
        });
    }

    /// <summary>Follows every resource's console log from its first line (watching starts before the fleet does).</summary>
    private void KeepLogsFromTheStart()
    {
        var notifications = App.Services.GetRequiredService<ResourceNotificationService>();
        var logs = App.Services.GetRequiredService<ResourceLoggerService>();
        var watched = new ConcurrentDictionary<string, bool>(StringComparer.Ordinal);
        _ = Task.Run(async () =>
        {
            try
            {
                await foreach (var resourceEvent in notifications.WatchAsync(_stopLogs.Token))
                {
                    if (resourceEvent.Resource is not ProjectResource || !watched.TryAdd(resourceEvent.ResourceId, true))
                    {
                        continue;
                    }

                    var name = resourceEvent.Resource.Name;
                    var id = resourceEvent.ResourceId;
                    _ = Task.Run(async () =>
                    {
                        try
                        {
                            await foreach (var batch in logs.WatchAsync(id).WithCancellation(_stopLogs.Token))
                            {
                                foreach (var line in batch)
                                {
                                    Logs.Enqueue((name, DateTimeOffset.UtcNow, line.Content));
                                }
                            }
                        }
                        catch (OperationCanceledException)
                        {
                        }
                    });
                }
            }
            catch (OperationCanceledException)
            {
            }
        });
    }
}

[CollectionDefinition(Name)]
public sealed class ConsoleFleetCollection : ICollectionFixture<ConsoleFleet>
{
    public const string Name = "owner console on a live fleet";
}
