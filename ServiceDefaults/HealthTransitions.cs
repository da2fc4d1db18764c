using System.Collections.Concurrent;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Logs what the health checks say when it changes, at the level it deserves. ASP.NET Core's own health-check logger
/// writes every Unhealthy probe as an error, so a service that is merely starting (its router recovering, its bus not
/// yet connected) filled the dashboard with red error badges on every start. Here a check that is not yet healthy while
/// the service starts is information; a check that was healthy and stops being so is a warning, with its reason; each
/// change is logged once, not at every probe.
/// </summary>
public sealed partial class HealthTransitions(ILogger<HealthTransitions> logger)
{
    /// <summary>The framework's logger of every probe, silenced in favour of this one.</summary>
    public const string FrameworkCategory = "Microsoft.Extensions.Diagnostics.HealthChecks.DefaultHealthCheckService";

    private readonly ConcurrentDictionary<string, (HealthStatus Status, bool WasHealthy)> _checks = new(StringComparer.Ordinal);

    public void Observe(HealthReport report)
    {
        foreach (var (name, entry) in report.Entries)
        {
            var known = _checks.TryGetValue(name, out var last);
            if (known && last.Status == entry.Status)
            {
                continue;
            }

            var wasHealthy = (known && last.WasHealthy) || entry.Status == HealthStatus.Healthy;
            _checks[name] = (entry.Status, wasHealthy);
            var reason = entry.Description ?? entry.Exception?.Message ?? "no reason given";
            if (entry.Status == HealthStatus.Healthy)
            {
                LogHealthy(name, entry.Description ?? "ready");
            }
            else if (known && last.WasHealthy)
            {
                LogNoLongerHealthy(name, entry.Status, reason);
            }
            else
            {
                LogStarting(name, entry.Status, reason);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Health check {Check} is healthy: {Description}")]
    private partial void LogHealthy(string check, string description);

    [LoggerMessage(Level = LogLevel.Information, Message = "Health check {Check} is {Status} while the service starts: {Reason}")]
    private partial void LogStarting(string check, HealthStatus status, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Health check {Check} was healthy and is now {Status}: {Reason}")]
    private partial void LogNoLongerHealthy(string check, HealthStatus status, string reason);
}
