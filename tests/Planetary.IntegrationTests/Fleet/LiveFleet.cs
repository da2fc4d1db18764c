using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Planetary.Contracts;
using Planetary.Fabric.Hosting.Redis;
using Planetary.Fabric.Manifest;
using Planetary.Fabric.Reporting;
using StackExchange.Redis;

namespace Planetary.IntegrationTests.Fleet;

/// <summary>
/// The whole fleet, started once for the collection through the real app host: local RabbitMQ and Redis on free
/// ports, four routers, six agents, owner control and the checkpointer, exporting their traces to a receiver in the
/// test. The test keeps its own bus connection (to observe status reports and to inject raw messages) and a Redis
/// connection (to read the books).
/// </summary>
public sealed class LiveFleet : IAsyncLifetime
{
    public const string Token = "integration-test-owner-token";
    public static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(4);

    private DirectoryInfo? _state;
    private IBusControl? _bus;
    private Planetary.AppHost.Infrastructure.InfrastructureInUse? _infrastructure;

    public DistributedApplication App { get; private set; } = null!;

    public HttpClient Owner { get; private set; } = null!;

    public IConnectionMultiplexer Redis { get; private set; } = null!;

    public Books Books { get; private set; } = null!;

    public OtlpTraceReceiver Traces { get; } = new();

    public FleetObserver Observed { get; } = new();

    public FabricManifest Manifest { get; } = ManifestLoader.LoadFile(Path.Combine(RepositoryRoot, "config", "fabric.json"));

    public IBus Bus => _bus!;

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

    public async Task InitializeAsync()
    {
        using var timeout = new CancellationTokenSource(StartTimeout);
        _state = Directory.CreateTempSubdirectory("planetary-fleet-");
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.Planetary_AppHost>(
        [
            "--Infrastructure:Mode=auto", // containers where a Docker engine runs, local server processes where not
            "--Infrastructure:Local:RabbitMqPort=0",
            "--Infrastructure:Local:RabbitMqDistributionPort=0",
            "--Infrastructure:Local:EpmdPort=0",
            "--Infrastructure:Local:RedisPort=0",
            $"--Infrastructure:Local:StateDirectory={_state.FullName}",
            $"--Infrastructure:Containers:VolumePrefix=planetary-test-{Guid.NewGuid():N}", // never the operator's volumes
            "--OwnerControl:Port=0",
            $"--Parameters:owner-token={Token}",
            "--OwnerControl:TokenFile=",
            $"--Fabric:ManifestPath={Path.Combine(RepositoryRoot, "config", "fabric.json")}",
        ], timeout.Token);

        foreach (var project in builder.Resources.OfType<ProjectResource>().ToArray())
        {
            builder.CreateResourceBuilder(project)
                .WithEnvironment("OTEL_EXPORTER_OTLP_ENDPOINT", Traces.Endpoint)
                .WithEnvironment("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf")
                .WithEnvironment("OTEL_BSP_SCHEDULE_DELAY", "500")
                .WithEnvironment("Drills__ReportsDirectory", Path.Combine(_state.FullName, "reports"));
        }

        App = await builder.BuildAsync(timeout.Token);
        _infrastructure = Planetary.AppHost.Infrastructure.InfrastructureInUse.Of(App.Services);
        if (Environment.GetEnvironmentVariable("PLANETARY_TEST_INFRASTRUCTURE_LOG") is { Length: > 0 } runLog)
        {
            File.AppendAllText(runLog, $"Planetary.IntegrationTests (live fleet): RabbitMQ and Redis as {_infrastructure.Description}\n");
        }

        await App.StartAsync(timeout.Token);
        KeepResourceLogs();
        foreach (var name in ResourceNames)
        {
            await App.ResourceNotifications.WaitForResourceHealthyAsync(name, timeout.Token);
        }

        Owner = App.CreateHttpClient("owner-control", "http");
        Owner.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        Redis = await ConnectionMultiplexer.ConnectAsync((await App.GetConnectionStringAsync("state", timeout.Token))!);
        Books = new Books(Redis);
        _bus = await StartBusAsync((await App.GetConnectionStringAsync("eventbus", timeout.Token))!, timeout.Token);
        await Eventually(() => Observed.Shards.Count == Manifest.Shards.Count && Observed.Nodes.Count == Manifest.Nodes.Count,
            TimeSpan.FromSeconds(60), "every router and agent reports its status");
    }

    public async Task DisposeAsync()
    {
        if (_bus is not null)
        {
            await _bus.StopAsync();
        }

        Owner?.Dispose();
        Redis?.Dispose();
        if (App is not null)
        {
            await App.StopAsync().WaitAsync(TimeSpan.FromMinutes(1));
            await App.DisposeAsync();
        }

        _infrastructure?.RemoveDataVolumes();

        await Traces.DisposeAsync();
        _state?.Delete(recursive: true);
    }

    public IEnumerable<string> ResourceNames =>
        new[] { "owner-control", "checkpointer" }
            .Concat(Manifest.Shards.Select(s => $"router-{s.Id}"))
            .Concat(Manifest.Nodes.Select(n => $"agent-{n.Id.ToLowerInvariant()}"));

    /// <summary>Submits jobs over the owner API; returns their ids.</summary>
    public async Task<IReadOnlyList<string>> SubmitAsync(string shard, string template, int count, string prefix)
    {
        var ids = new List<string>();
        for (var offset = 0; offset < count; offset += 500)
        {
            var jobs = Enumerable.Range(offset, Math.Min(500, count - offset)).Select(i => new { id = $"{prefix}-{shard}-{i:D5}", template }).ToArray();
            var response = await Owner.PostAsJsonAsync("/api/jobs", new { shard, jobs });
            Assert.True(response.IsSuccessStatusCode, $"POST /api/jobs: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            ids.AddRange(jobs.Select(j => j.id));
        }

        return ids;
    }

    /// <summary>Waits until every job is in the books; returns the outcomes.</summary>
    public async Task<Dictionary<string, JobOutcome>> WaitForOutcomesAsync(IReadOnlyCollection<string> ids, TimeSpan timeout)
    {
        var stopwatch = Stopwatch.StartNew();
        while (true)
        {
            var outcomes = await Books.OutcomesAsync(ids);
            if (outcomes.Count == ids.Count)
            {
                return outcomes;
            }

            if (stopwatch.Elapsed > timeout)
            {
                var missing = ids.Where(id => !outcomes.ContainsKey(id)).Take(5).ToArray();
                var timelines = await Books.TimelinesAsync(missing);
                var where = missing.Select(id => $"{id}: " + string.Join(" → ", timelines.Where(e => e.Job == id).Select(e => $"{e.Event}@{e.Shard}{(e.Node is null ? "" : "/" + e.Node)}#{e.Attempt}")));
                Assert.Fail($"{ids.Count - outcomes.Count} of {ids.Count} jobs still not finished after {timeout.TotalSeconds} s; for example\n  " + string.Join("\n  ", where));
            }

            await Task.Delay(250);
        }
    }

    /// <summary>How many times each job's timeline records it finishing (completed, failed or cancelled).</summary>
    public async Task<Dictionary<string, int>> FinishesPerJobAsync(IReadOnlyCollection<string> ids)
    {
        var events = await Books.TimelinesAsync(ids);
        var finishes = ids.ToDictionary(id => id, _ => 0, StringComparer.Ordinal);
        foreach (var e in events.Where(e => e.Event is JobEventKind.Completed or JobEventKind.Failed or JobEventKind.Cancelled))
        {
            finishes[e.Job]++;
        }

        return finishes;
    }

    /// <summary>Waits until status says every service has applied <paramref name="version"/> of the owner's parameters.</summary>
    public Task WaitForParameterVersionAsync(long version) => Eventually(() =>
    {
        var status = System.Text.Json.JsonDocument.Parse(Owner.GetStringAsync("/api/status").Result).RootElement.GetProperty("parameters");
        return status.GetProperty("version").GetInt64() == version && status.GetProperty("converged").GetBoolean();
    }, TimeSpan.FromSeconds(20), $"every service reports version {version}");

    public static async Task Eventually(Func<bool> condition, TimeSpan timeout, string what)
    {
        var stopwatch = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(stopwatch.Elapsed < timeout, $"timed out after {timeout.TotalSeconds} s waiting until {what}");
            await Task.Delay(100);
        }
    }

    /// <summary>
    /// Like <see cref="Eventually"/>, but a timeout also says what every router and agent last reported and, given the
    /// test's jobs, how many reached the books and where the first unfinished one was last seen.
    /// </summary>
    public async Task WaitUntil(Func<bool> condition, TimeSpan timeout, string what, IReadOnlyCollection<string>? jobs = null)
    {
        var stopwatch = Stopwatch.StartNew();
        while (!condition())
        {
            if (stopwatch.Elapsed > timeout)
            {
                var books = "";
                if (jobs is not null)
                {
                    var outcomes = await Books.OutcomesAsync(jobs);
                    var first = jobs.FirstOrDefault(id => !outcomes.ContainsKey(id));
                    var trail = first is null ? "" : string.Join(" → ", (await Books.TimelineAsync(first)).Select(e => $"{e.Event}@{e.Shard}{(e.Node is null ? "" : "/" + e.Node)}"));
                    books = $"\n  {outcomes.Count} of {jobs.Count} of the test's jobs are in the books" + (first is null ? "" : $"; {first}: [{trail}]");
                }

                Assert.Fail($"timed out after {timeout.TotalSeconds} s waiting until {what}. Last reports:\n{DescribeFleet()}{books}");
            }

            await Task.Delay(100);
        }
    }

    public string DescribeFleet() => string.Join("\n",
        Observed.Shards.Values.OrderBy(s => s.ShardId).Select(s =>
            $"  router {s.ShardId} (pid {s.ProcessId}, tick {s.Tick}{(s.Paused ? ", paused" : "")}): queued {s.Queued}, running {s.Running}, moving {s.InTransfer}; nodes " +
            string.Join(", ", s.Nodes.Select(n => $"{n.NodeId} {(n.Online ? "online" : "OFFLINE")} {n.Running}/{n.Slots} seen@{n.LastSeenTick}")))
        .Concat(Observed.Nodes.Values.OrderBy(n => n.NodeId).Select(n =>
            $"  agent {n.NodeId} (pid {n.ProcessId}, v{n.ParameterVersion}): {(n.Online ? "online" : "OFFLINE")}, running {n.Running}/{n.Slots}, started {n.Started}, succeeded {n.Succeeded}")));

    /// <summary>With <c>PLANETARY_TEST_LOGS=dir</c>, every service's console log is kept in <c>dir/{resource}.log</c>.</summary>
    private void KeepResourceLogs()
    {
        var directory = Environment.GetEnvironmentVariable("PLANETARY_TEST_LOGS");
        if (string.IsNullOrEmpty(directory))
        {
            return;
        }

        Directory.CreateDirectory(directory);
        var logs = App.Services.GetRequiredService<ResourceLoggerService>();
        foreach (var name in ResourceNames.Append("eventbus").Append("state"))
        {
            _ = Task.Run(async () =>
            {
                await using var file = new StreamWriter(Path.Combine(directory, $"{name}.log"), append: true) { AutoFlush = true };
                await foreach (var batch in logs.WatchAsync(App.Services.GetRequiredService<ResourceNotificationService>().TryGetCurrentState(name, out var e) ? e.ResourceId : name))
                {
                    foreach (var line in batch)
                    {
                        await file.WriteLineAsync(line.Content);
                    }
                }
            });
        }
    }

    private async Task<IBusControl> StartBusAsync(string connectionString, CancellationToken cancellationToken)
    {
        var uri = new Uri(connectionString);
        var credentials = Uri.UnescapeDataString(uri.UserInfo).Split(':', 2); // containers: Aspire's generated password
        var bus = MassTransit.Bus.Factory.CreateUsingRabbitMq(rabbit =>
        {
            rabbit.Host(uri.Host, (ushort)uri.Port, "/", host =>
            {
                host.Username(credentials is [{ Length: > 0 } user, _] ? user : "guest");
                host.Password(credentials is [_, var password] ? password : "guest");
            });
            rabbit.ReceiveEndpoint($"integration-tests-{Environment.ProcessId}", endpoint =>
            {
                endpoint.AutoDelete = true;
                endpoint.Durable = false;
                endpoint.Consumer(() => new FleetObserver.Consumer(Observed));
            });
        });
        await bus.StartAsync(cancellationToken);
        return bus;
    }
}

[CollectionDefinition(Name)]
public sealed class LiveFleetCollection : ICollectionFixture<LiveFleet>
{
    public const string Name = "live fleet";
}
