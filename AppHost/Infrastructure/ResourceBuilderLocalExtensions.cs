using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Planetary.LocalServers;

namespace Planetary.AppHost.Infrastructure;

/// <summary>Wiring shared by the local server resources.</summary>
internal static class ResourceBuilderLocalExtensions
{
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(2);

    /// <summary>Passes a launch's arguments and environment to an executable resource.</summary>
    public static IResourceBuilder<T> WithLaunch<T>(this IResourceBuilder<T> builder, ServerLaunch launch)
        where T : ExecutableResource
    {
        builder.WithArgs(launch.Arguments.ToArray());
        foreach (var (key, value) in launch.Environment)
        {
            builder.WithEnvironment(key, value);
        }

        return builder;
    }

    /// <summary>
    /// A health check that speaks the server's protocol (a bare TCP connect proves nothing), so that
    /// <c>WaitFor</c> releases dependents only once the server really serves.
    /// </summary>
    public static IResourceBuilder<T> WithProtocolHealthCheck<T>(
        this IResourceBuilder<T> builder,
        Func<string, int, TimeSpan, CancellationToken, Task<bool>> probe,
        int port,
        string protocol)
        where T : IResource
    {
        var key = $"{builder.Resource.Name}_{protocol}";
        builder.ApplicationBuilder.Services.AddHealthChecks().AddAsyncCheck(key, async cancellationToken =>
            await probe(Loopback.Address, port, ProbeTimeout, cancellationToken).ConfigureAwait(false)
                ? HealthCheckResult.Healthy()
                : HealthCheckResult.Unhealthy($"no {protocol} answer on {Loopback.Address}:{port}"));
        return builder.WithHealthCheck(key);
    }
}
