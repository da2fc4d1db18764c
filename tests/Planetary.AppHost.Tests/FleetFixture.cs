using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Planetary.AppHost.Fleet;
using Planetary.Fabric.Manifest;
using Xunit.Abstractions;

namespace Planetary.AppHost.Tests;

/// <summary>
/// One running app host (the whole fleet) shared by the tests of the "app host fleet" collection: local RabbitMQ
/// and Redis on free ports, state under a temp directory, no dashboard, owner-control on a port Aspire picks.
/// </summary>
public sealed class FleetFixture(IMessageSink diagnostics) : IAsyncLifetime
{
    private readonly string _stateDirectory = Directory.CreateTempSubdirectory("planetary-apphost-").FullName;
    private readonly System.Diagnostics.Stopwatch _started = new();
    private DistributedApplication? _app;

    public DistributedApplication App => _app ?? throw new InvalidOperationException("The app host is not started.");

    /// <summary>The manifest the app host reads (the repository's <c>config/fabric.json</c>).</summary>
    public string ManifestPath { get; } = Path.GetFullPath(Path.Combine(RepositoryRoot(), "config", "fabric.json"));

    public FabricManifest Manifest => ManifestLoader.LoadFile(ManifestPath);

    /// <summary>The owner token given to the app host as <c>Parameters:owner-token</c> (nothing is written to user secrets).</summary>
    public string OwnerToken { get; } = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));

    /// <summary>How long <c>StartAsync</c> took (it returns before the services are healthy).</summary>
    public TimeSpan StartDuration { get; private set; }

    /// <summary>When every fabric service was first healthy, counted from the fixture beginning to build the app host.</summary>
    public TimeSpan HealthyAfter { get; private set; }

    /// <summary>Time since the fixture began building the app host.</summary>
    public TimeSpan Uptime => _started.Elapsed;

    public ResourceNotificationService Notifications => App.Services.GetRequiredService<ResourceNotificationService>();

    public ResourceCommandService Commands => App.Services.GetRequiredService<ResourceCommandService>();

    /// <summary>Every fabric service's resource name.</summary>
    public IReadOnlyList<string> ServiceNames =>
    [
        FleetNames.OwnerControl,
        FleetNames.Checkpointer,
        .. Manifest.Shards.Select(shard => FleetNames.Router(shard.Id)),
        .. Manifest.Nodes.Select(node => FleetNames.Agent(node.Id)),
    ];

    public async Task InitializeAsync()
    {
        _started.Start();
        using var deadline = new CancellationTokenSource(TestTimeouts.Start);
        string[] args =
        [
            "--Infrastructure:Mode=local",
            "--Infrastructure:Local:RabbitMqPort=0",
            "--Infrastructure:Local:RabbitMqDistributionPort=0",
            "--Infrastructure:Local:EpmdPort=0",
            "--Infrastructure:Local:RedisPort=0",
            $"--Infrastructure:Local:StateDirectory={_stateDirectory}",
            $"--Fabric:ManifestPath={ManifestPath}",
            "--OwnerControl:Port=0",
            $"--Parameters:owner-token={OwnerToken}",
            "--OwnerControl:TokenFile=",
        ];
        var builder = await DistributedApplicationTestingBuilder
            .CreateAsync<Projects.Planetary_AppHost>(args, (options, _) => options.DisableDashboard = true, deadline.Token)
            .WaitAsync(TestTimeouts.Start);
        builder.Services.AddLogging(logging => logging
            // The testing builder logs every failed health probe (expected while services start) and every line the
            // services print; keep the console to warnings and put the app host's own log in the diagnostics.
            .AddFilter("Microsoft.Extensions.Diagnostics.HealthChecks", LogLevel.Critical)
            .AddFilter("Planetary.AppHost.Resources", LogLevel.Warning)
            .AddProvider(new MessageSinkLoggerProvider(diagnostics))
            .AddFilter<MessageSinkLoggerProvider>((category, level) =>
                level >= LogLevel.Information && IsAppHostCategory(category)));

        _app = await builder.BuildAsync(deadline.Token).WaitAsync(TestTimeouts.Start);
        await _app.StartAsync(deadline.Token).WaitAsync(TestTimeouts.Start);
        StartDuration = _started.Elapsed;

        // Every test begins on a healthy fleet, so each test's own bound covers only what it does: on a loaded machine
        // the fleet's first start alone can take longer than one resource's bound.
        foreach (var name in ServiceNames)
        {
            await Notifications.WaitForResourceHealthyAsync(name, deadline.Token).WaitAsync(TestTimeouts.Start);
        }

        HealthyAfter = _started.Elapsed;
        diagnostics.OnMessage(new Xunit.Sdk.DiagnosticMessage(
            $"App host started in {StartDuration.TotalSeconds:0.0} s, every service healthy after {HealthyAfter.TotalSeconds:0.0} s"));
    }

    public async Task DisposeAsync()
    {
        try
        {
            if (_app is not null)
            {
                var stopping = System.Diagnostics.Stopwatch.StartNew();
                await _app.StopAsync().WaitAsync(TestTimeouts.Stop);
                await _app.DisposeAsync().AsTask().WaitAsync(TestTimeouts.Stop);
                diagnostics.OnMessage(new Xunit.Sdk.DiagnosticMessage($"App host stopped in {stopping.Elapsed.TotalSeconds:0.0} s"));
            }
        }
        finally
        {
            Directory.Delete(_stateDirectory, recursive: true);
        }
    }

    /// <summary>The resource's current snapshot (by resource name; every fleet service has one instance).</summary>
    public ResourceEvent Current(string resourceName) =>
        Notifications.TryGetCurrentState(resourceName, out var resourceEvent)
            ? resourceEvent
            : throw new InvalidOperationException($"{resourceName} has no snapshot.");

    /// <summary>The app host's own loggers (supervisor, infrastructure), not the services' forwarded console logs.</summary>
    private static bool IsAppHostCategory(string? category) =>
        category is not null &&
        category.StartsWith("Planetary.AppHost.", StringComparison.Ordinal) &&
        !category.StartsWith("Planetary.AppHost.Resources.", StringComparison.Ordinal);

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Planetary.Aspire.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("The repository root (Planetary.Aspire.sln) was not found.");
    }
}

[CollectionDefinition(Name)]
public sealed class FleetCollection : ICollectionFixture<FleetFixture>
{
    public const string Name = "app host fleet";
}
