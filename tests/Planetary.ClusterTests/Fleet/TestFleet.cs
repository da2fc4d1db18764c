using System.Diagnostics;
using System.Net.Http.Headers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Planetary.AppHost.Infrastructure;
using Planetary.AppHost.Tests;
using Xunit.Abstractions;

namespace Planetary.ClusterTests.Fleet;

/// <summary>
/// The whole fleet through the real app host (Aspire.Hosting.Testing, no dashboard), with the infrastructure the
/// arguments ask for, state under a temp directory and owner control on a port Aspire picks. Shared by a collection.
/// </summary>
public abstract class TestFleet(IMessageSink diagnostics) : IAsyncLifetime
{
    public const string Token = "cluster-tests-owner-token";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(4);
    private InfrastructureInUse? _infrastructure;

    protected DirectoryInfo State { get; } = Directory.CreateTempSubdirectory("planetary-cluster-tests-");

    public DistributedApplication App { get; private set; } = null!;

    public HttpClient Owner { get; private set; } = null!;

    public IMessageSink Diagnostics { get; } = diagnostics;

    public ResourceNotificationService Notifications => App.Services.GetRequiredService<ResourceNotificationService>();

    /// <summary>Which way the servers run, in words (written to the test output and to the run's infrastructure log).</summary>
    public string Infrastructure => _infrastructure?.Description ?? "(not started)";

    /// <summary>The app host's arguments for this fleet's infrastructure.</summary>
    protected abstract IEnumerable<string> InfrastructureArguments();

    /// <summary>Called once every service is healthy.</summary>
    protected virtual Task OnStartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task InitializeAsync()
    {
        using var timeout = new CancellationTokenSource(StartTimeout);
        var clock = Stopwatch.StartNew();
        var repository = RepositoryRoot;
        string[] arguments =
        [
            .. InfrastructureArguments(),
            $"--Infrastructure:Local:StateDirectory={State.FullName}",
            "--OwnerControl:Port=0",
            $"--Parameters:owner-token={Token}",
            "--OwnerControl:TokenFile=",
            $"--Fabric:ManifestPath={Path.Combine(repository, "config", "fabric.json")}",
        ];
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.Planetary_AppHost>(
            arguments, (options, _) => options.DisableDashboard = true, timeout.Token);
        foreach (var project in builder.Resources.OfType<ProjectResource>().ToArray())
        {
            builder.CreateResourceBuilder(project).WithEnvironment("Drills__ReportsDirectory", Path.Combine(State.FullName, "reports"));
        }

        builder.Services.AddLogging(logging => logging
            .AddFilter("Microsoft.Extensions.Diagnostics.HealthChecks", LogLevel.Critical)
            .AddFilter("Planetary.AppHost.Resources", LogLevel.Warning)
            .AddProvider(new MessageSinkLoggerProvider(Diagnostics))
            .AddFilter<MessageSinkLoggerProvider>((category, level) => level >= LogLevel.Information && category is not null &&
                category.StartsWith("Planetary.AppHost.", StringComparison.Ordinal) &&
                !category.StartsWith("Planetary.AppHost.Resources.", StringComparison.Ordinal)));

        App = await builder.BuildAsync(timeout.Token);
        _infrastructure = InfrastructureInUse.Of(App.Services);
        Note($"{GetType().Name}: RabbitMQ and Redis as {_infrastructure.Description}");
        if (Environment.GetEnvironmentVariable("PLANETARY_TEST_INFRASTRUCTURE_LOG") is { Length: > 0 } runLog)
        {
            await File.AppendAllTextAsync(runLog, $"Planetary.ClusterTests ({GetType().Name}): RabbitMQ and Redis as {_infrastructure.Description}\n");
        }

        await App.StartAsync(timeout.Token);
        var model = App.Services.GetRequiredService<DistributedApplicationModel>();
        foreach (var project in model.Resources.OfType<ProjectResource>())
        {
            await Notifications.WaitForResourceHealthyAsync(project.Name, timeout.Token);
        }

        Owner = App.CreateHttpClient("owner-control", "http");
        Owner.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        await OnStartedAsync(timeout.Token);
        Note($"{GetType().Name}: every service healthy {clock.Elapsed.TotalSeconds:0.0} s after the fixture began");
    }

    public virtual async Task DisposeAsync()
    {
        Owner?.Dispose();
        if (App is not null)
        {
            await App.StopAsync().WaitAsync(TimeSpan.FromMinutes(1));
            await App.DisposeAsync();
        }

        _infrastructure?.RemoveDataVolumes();
        State.Delete(recursive: true);
    }

    /// <summary>The current snapshot of a resource, by name.</summary>
    public ResourceEvent Current(string name) =>
        Notifications.TryGetCurrentState(name, out var resourceEvent) ? resourceEvent : throw new InvalidOperationException($"{name} has no snapshot.");

    /// <summary>A property of a resource's current snapshot (e.g. <c>executable.pid</c>, <c>container.id</c>).</summary>
    public string? Property(string name, string property) =>
        Current(name).Snapshot.Properties.FirstOrDefault(p => p.Name == property)?.Value?.ToString();

    public void Note(string message) => Diagnostics.OnMessage(new Xunit.Sdk.DiagnosticMessage(message));

    public static string RepositoryRoot
    {
        get
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
}
