using Microsoft.Extensions.Diagnostics.HealthChecks;
using Planetary.Fabric.Hosting;
using StackExchange.Redis;

namespace Planetary.OwnerControl.Parameters;

/// <summary>
/// Makes sure the Redis state belongs to this manifest's fabric before owner control writes parameters into it, and
/// reports it as owner control's readiness (the app host waits on <c>/health</c>).
/// </summary>
public sealed class FabricStateGuard(GenesisManifest genesis, IConnectionMultiplexer redis) : IHealthCheck
{
    private volatile bool _matched;

    /// <summary>Throws (with the manifest's explanation) when Redis holds another fabric's state.</summary>
    public async Task EnsureAsync()
    {
        if (_matched)
        {
            return;
        }

        try
        {
            await genesis.EnsureStateMatchesAsync(redis);
        }
        catch (InvalidOperationException e)
        {
            throw new FabricStateMismatchException(e.Message, e);
        }

        _matched = true;
    }

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await EnsureAsync();
            await redis.GetDatabase().PingAsync();
            return HealthCheckResult.Healthy();
        }
        catch (Exception e)
        {
            return HealthCheckResult.Unhealthy($"Redis state is not usable: {e.Message}");
        }
    }
}

/// <summary>Redis holds the state of a fabric with another structure; owner control writes nothing into it.</summary>
public sealed class FabricStateMismatchException(string message, Exception inner) : Exception(message, inner);
