using Microsoft.Extensions.Logging;

namespace Planetary.AppHost.Supervision;

internal static partial class SupervisorLog
{
    [LoggerMessage(Level = LogLevel.Warning,
        Message = "{ResourceId} died ({State}, exit code {ExitCode}, up {Uptime}); restart #{RestartCount} in {Delay}")]
    public static partial void RestartScheduled(
        ILogger logger, string resourceId, string? state, int? exitCode, TimeSpan? uptime, TimeSpan delay, int restartCount);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "All {ServiceCount} supervised resources (servers and services) are running and healthy, {SinceStart} after the app host started")]
    public static partial void FleetHealthy(ILogger logger, int serviceCount, TimeSpan sinceStart);

    [LoggerMessage(Level = LogLevel.Information, Message = "{ResourceId} restarted by the supervisor (restart #{RestartCount})")]
    public static partial void Restarted(ILogger logger, string resourceId, int restartCount);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "{ResourceId} was stopped on request ({State}, exit code {ExitCode}); the supervisor leaves it stopped")]
    public static partial void LeftStopped(ILogger logger, string resourceId, string? state, int? exitCode);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "{ResourceId} is {State} again before the supervisor's restart; nothing to do")]
    public static partial void RestartSkipped(ILogger logger, string resourceId, string? state);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Starting {ResourceId} failed ({Reason}); trying again in {Delay}")]
    public static partial void RestartFailed(ILogger logger, string resourceId, string? reason, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Error, Message = "The supervisor could not restart {ResourceId}")]
    public static partial void RestartCrashed(ILogger logger, Exception exception, string resourceId);
}
