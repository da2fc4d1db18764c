using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Planetary.AppHost.Supervision;

/// <summary>
/// Watches every supervised resource's snapshots and starts a resource again (Aspire's own Start command) when its
/// process died unexpectedly, after a backoff. Stops asked for through the dashboard or the resource command API
/// are respected (see <see cref="SupervisedProcess"/>), and nothing is restarted once the app host is shutting down.
/// </summary>
internal sealed class ProcessSupervisor(
    DistributedApplicationModel model,
    ResourceNotificationService notifications,
    ResourceCommandService commands,
    ResourceLoggerService resourceLogs,
    IHostApplicationLifetime lifetime,
    SupervisorOptions options,
    ILogger<ProcessSupervisor> logger) : BackgroundService
{
    private readonly ConcurrentDictionary<string, SupervisedProcess> _processes = new(StringComparer.Ordinal);
    private readonly TimeProvider _time = TimeProvider.System;
    private readonly RestartBackoff _backoff = options.Backoff;
    private readonly HashSet<string> _healthy = new(StringComparer.Ordinal);
    private bool _fleetHealthyLogged;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var running = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, lifetime.ApplicationStopping);
        var restarts = new List<Task>();
        try
        {
            await foreach (var resourceEvent in notifications.WatchAsync(running.Token).ConfigureAwait(false))
            {
                if (!resourceEvent.Resource.TryGetLastAnnotation<SupervisedAnnotation>(out _))
                {
                    continue;
                }

                var process = _processes.GetOrAdd(
                    resourceEvent.ResourceId, id => new SupervisedProcess(resourceEvent.Resource, id, _backoff));
                var snapshot = resourceEvent.Snapshot;
                NoteHealth(resourceEvent);
                var decision = process.Observe(snapshot.State?.Text, snapshot.ExitCode, _time.GetUtcNow());
                switch (decision.Action)
                {
                    case SupervisorAction.Restart when !running.IsCancellationRequested:
                        restarts.RemoveAll(task => task.IsCompleted);
                        restarts.Add(RestartAsync(process, decision, running.Token));
                        break;
                    case SupervisorAction.LeaveStopped:
                        SupervisorLog.LeftStopped(logger, process.ResourceId, decision.State, decision.ExitCode);
                        break;
                }
            }
        }
        catch (OperationCanceledException) when (running.IsCancellationRequested)
        {
            // The app host is stopping: supervision ends here.
        }

        await Task.WhenAll(restarts).ConfigureAwait(false);
    }

    /// <summary>Logs once, at start-up, when every supervised service is running and healthy (and how long it took).</summary>
    private void NoteHealth(ResourceEvent resourceEvent)
    {
        var snapshot = resourceEvent.Snapshot;
        if (snapshot.State?.Text == KnownResourceStates.Running && snapshot.HealthStatus == HealthStatus.Healthy)
        {
            _healthy.Add(resourceEvent.ResourceId);
        }
        else
        {
            _healthy.Remove(resourceEvent.ResourceId);
        }

        var supervised = model.Resources.Count(resource => resource.TryGetLastAnnotation<SupervisedAnnotation>(out _));
        if (!_fleetHealthyLogged && _healthy.Count == supervised)
        {
            _fleetHealthyLogged = true;
            using var self = Process.GetCurrentProcess();
            SupervisorLog.FleetHealthy(logger, supervised, _time.GetLocalNow() - self.StartTime);
        }
    }

    private async Task RestartAsync(SupervisedProcess process, SupervisorDecision decision, CancellationToken cancellationToken)
    {
        var resourceLogger = resourceLogs.GetLogger(process.ResourceId);
        SupervisorLog.RestartScheduled(logger, process.ResourceId, decision.State, decision.ExitCode, decision.Uptime, decision.Delay, process.Restarts);
        SupervisorLog.RestartScheduled(resourceLogger, process.ResourceId, decision.State, decision.ExitCode, decision.Uptime, decision.Delay, process.Restarts);
        var delay = decision.Delay;
        try
        {
            while (true)
            {
                await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
                if (lifetime.ApplicationStopping.IsCancellationRequested)
                {
                    return;
                }

                // Someone (the operator's Start or Restart) may have brought it back during the wait.
                if (notifications.TryGetCurrentState(process.ResourceId, out var current) &&
                    !SupervisedProcess.IsTerminal(current.Snapshot.State?.Text))
                {
                    SupervisorLog.RestartSkipped(logger, process.ResourceId, current.Snapshot.State?.Text);
                    return;
                }

                var result = await commands.ExecuteCommandAsync(process.ResourceId, KnownResourceCommands.StartCommand, cancellationToken)
                    .ConfigureAwait(false);
                if (result.Success)
                {
                    break;
                }

                delay = _backoff.NextDelay(delay, uptime: TimeSpan.Zero);
                SupervisorLog.RestartFailed(logger, process.ResourceId, result.Message, delay);
            }

            SupervisorLog.Restarted(logger, process.ResourceId, process.Restarts);
            var lastEvent = string.Create(CultureInfo.InvariantCulture,
                $"{decision.State} (exit code {decision.ExitCode?.ToString(CultureInfo.InvariantCulture) ?? "unknown"}) after {Describe(decision.Uptime)}; restarted after {decision.Delay.TotalSeconds:0.#} s at {_time.GetUtcNow():u}");
            await notifications.PublishUpdateAsync(process.Resource, process.ResourceId, snapshot => snapshot with
            {
                Properties = snapshot.Properties
                    .With(SupervisorProperties.Restarts, "Restarts (supervisor)", process.Restarts)
                    .With(SupervisorProperties.LastEvent, "Last restart (supervisor)", lastEvent),
            }).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Shutting down: the orchestrator stops everything anyway.
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            SupervisorLog.RestartCrashed(logger, exception, process.ResourceId);
        }
    }

    private static string Describe(TimeSpan? uptime) =>
        uptime is { } value ? value.ToString(@"hh\:mm\:ss", CultureInfo.InvariantCulture) : "a failed start";
}
