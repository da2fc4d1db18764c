using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Planetary.Fabric.Hosting.Redis;

/// <summary>
/// The health check every service that uses the state store carries, in every mode (external servers included): it
/// reads the primary's persistence settings and reports Unhealthy, with the reason, while Redis would not keep an
/// acknowledged write (see <see cref="StatePersistence"/>). The verdict is read again at most every ten seconds.
/// </summary>
public sealed partial class StatePersistenceCheck(
    IConnectionMultiplexer redis, IOptions<FabricOptions> options, TimeProvider time, ILogger<StatePersistenceCheck> logger) : IHealthCheck
{
    private static readonly TimeSpan ReadEvery = TimeSpan.FromSeconds(10);
    private HealthCheckResult? _last;
    private DateTimeOffset _readAt;
    private string? _loggedProblem;

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        if (_last is { } last && now - _readAt < ReadEvery)
        {
            return last;
        }

        HealthCheckResult result;
        try
        {
            var settings = await ReadAsync();
            var problem = settings.Problem(options.Value.JournalReplicaAcks);
            result = problem is null
                ? HealthCheckResult.Healthy($"the state store persists every write (appendonly {settings.AppendOnly}, appendfsync {settings.AppendFsync})")
                : HealthCheckResult.Unhealthy(problem);
            if (problem is not null && problem != _loggedProblem)
            {
                LogNotPersistent(logger, problem);
            }

            _loggedProblem = problem;
        }
        catch (Exception e) when (e is RedisConnectionException or RedisTimeoutException or TimeoutException or InvalidOperationException)
        {
            // Not answering is "waiting for the state store", which the services report on their own; it is not a verdict.
            return HealthCheckResult.Unhealthy($"waiting for the state store ({e.GetType().Name})");
        }
        catch (RedisException e)
        {
            // A server that refuses CONFIG GET (renamed or forbidden) cannot show that it persists; it is not trusted.
            result = HealthCheckResult.Unhealthy($"cannot read the state store's persistence settings ({e.Message}); allow CONFIG GET for the fabric's user");
        }

        _last = result;
        _readAt = now;
        return result;
    }

    private async Task<StatePersistence> ReadAsync()
    {
        var server = redis.GetServers().FirstOrDefault(s => s.IsConnected && !s.IsReplica)
            ?? throw new InvalidOperationException("no connected Redis primary");
        var appendOnly = await server.ConfigGetAsync("appendonly");
        var appendFsync = await server.ConfigGetAsync("appendfsync");
        var replication = await server.InfoAsync("replication");
        var connectedReplicas = replication.SelectMany(g => g)
            .Where(p => p.Key == "connected_slaves")
            .Select(p => int.TryParse(p.Value, out var n) ? n : 0)
            .FirstOrDefault();
        return new StatePersistence(
            appendOnly.FirstOrDefault().Value ?? "unknown",
            appendFsync.FirstOrDefault().Value ?? "unknown",
            connectedReplicas);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Not reporting healthy: {Problem}")]
    private static partial void LogNotPersistent(ILogger logger, string problem);
}
