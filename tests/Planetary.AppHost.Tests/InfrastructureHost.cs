using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Planetary.LocalServers;
using Xunit.Abstractions;

namespace Planetary.AppHost.Tests;

/// <summary>
/// The real app host with the fabric's servers only (the services are taken out of the model before it is built):
/// local RabbitMQ and Redis on ports chosen once, so that a second run finds the first run's data, under the app host's
/// own supervision. Starts in a few seconds, so a test can restart "the fleet" several times.
/// </summary>
internal sealed class InfrastructureHost : IAsyncDisposable
{
    private readonly DistributedApplication _app;

    private InfrastructureHost(DistributedApplication app, ConcurrentQueue<string> log)
    {
        _app = app;
        Log = log;
    }

    /// <summary>The app host's own log lines (infrastructure and supervisor), in order.</summary>
    public ConcurrentQueue<string> Log { get; }

    public ResourceNotificationService Notifications => _app.Services.GetRequiredService<ResourceNotificationService>();

    /// <summary>The arguments of one fixed set of servers: the same ports and state directory on every run.</summary>
    public static string[] LocalArguments(string stateDirectory)
    {
        var ports = FreeLoopbackPorts.Take(4);
        return
        [
            "--Infrastructure:Mode=local",
            $"--Infrastructure:Local:RabbitMqPort={ports[0]}",
            $"--Infrastructure:Local:RabbitMqDistributionPort={ports[1]}",
            $"--Infrastructure:Local:EpmdPort={ports[2]}",
            $"--Infrastructure:Local:RedisPort={ports[3]}",
            $"--Infrastructure:Local:StateDirectory={stateDirectory}",
            "--OwnerControl:TokenFile=",
            "--Parameters:owner-token=infrastructure-host",
        ];
    }

    /// <summary>Builds and starts the app host, then waits until RabbitMQ and Redis are healthy.</summary>
    public static async Task<InfrastructureHost> StartAsync(IMessageSink diagnostics, IEnumerable<string> arguments, CancellationToken cancellationToken)
    {
        var log = new ConcurrentQueue<string>();
        var builder = await DistributedApplicationTestingBuilder
            .CreateAsync<Projects.Planetary_AppHost>(arguments.ToArray(), (options, _) => options.DisableDashboard = true, cancellationToken);
        foreach (var service in builder.Resources.OfType<ProjectResource>().ToList())
        {
            builder.Resources.Remove(service);
        }

        builder.Services.AddLogging(logging => logging
            .AddFilter("Microsoft.Extensions.Diagnostics.HealthChecks", LogLevel.Critical)
            .AddFilter("Planetary.AppHost.Resources", LogLevel.Warning)
            .AddProvider(new MessageSinkLoggerProvider(diagnostics))
            .AddProvider(new CollectingLoggerProvider(log))
            .AddFilter<MessageSinkLoggerProvider>((category, level) => level >= LogLevel.Information && IsAppHost(category))
            .AddFilter<CollectingLoggerProvider>((category, level) => level >= LogLevel.Information && IsAppHost(category)));

        var app = await builder.BuildAsync(cancellationToken);
        await app.StartAsync(cancellationToken);
        var host = new InfrastructureHost(app, log);
        foreach (var server in new[] { "eventbus", "state" })
        {
            await host.Notifications.WaitForResourceHealthyAsync(server, cancellationToken);
        }

        return host;
    }

    public Task<string?> ConnectionStringAsync(string name, CancellationToken cancellationToken) =>
        _app.GetConnectionStringAsync(name, cancellationToken).AsTask();

    public ResourceEvent Current(string name) =>
        Notifications.TryGetCurrentState(name, out var resourceEvent) ? resourceEvent : throw new InvalidOperationException($"{name} has no snapshot.");

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().WaitAsync(TestTimeouts.Stop);
        await _app.DisposeAsync().AsTask().WaitAsync(TestTimeouts.Stop);
    }

    private static bool IsAppHost(string? category) =>
        category is not null && category.StartsWith("Planetary.AppHost.", StringComparison.Ordinal) &&
        !category.StartsWith("Planetary.AppHost.Resources.", StringComparison.Ordinal);

    private sealed class CollectingLoggerProvider(ConcurrentQueue<string> lines) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new Collector(lines);

        public void Dispose()
        {
        }

        private sealed class Collector(ConcurrentQueue<string> lines) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                lines.Enqueue(formatter(state, exception));
        }
    }
}
