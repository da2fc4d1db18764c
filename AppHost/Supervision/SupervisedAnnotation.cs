namespace Planetary.AppHost.Supervision;

/// <summary>
/// Marks a resource whose process the app host restarts when it dies unexpectedly. A fabric service is restarted at once
/// the first time (serving again sooner); a server (RabbitMQ, Redis, a Sentinel) first waits the initial backoff, so
/// the machinery that watches it — Sentinel's down-after (1 s), a broker cluster's peers — sees a clean failure and
/// fails over instead of racing a restart.
/// </summary>
internal sealed class SupervisedAnnotation(bool restartAtOnce) : IResourceAnnotation
{
    public bool RestartAtOnce { get; } = restartAtOnce;
}
