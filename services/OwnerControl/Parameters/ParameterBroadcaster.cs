using Microsoft.Extensions.Options;
using Planetary.OwnerControl.Fleet;

namespace Planetary.OwnerControl.Parameters;

/// <summary>
/// Publishes the current parameters once at start-up, then again every <see cref="OwnerControlOptions.BroadcastIntervalMs"/>
/// while any service that reported its applied version is behind, so a service that missed a broadcast converges.
/// </summary>
public sealed partial class ParameterBroadcaster(
    OwnerParameters parameters,
    FleetView fleet,
    TimeProvider time,
    IOptionsMonitor<OwnerControlOptions> options,
    ILogger<ParameterBroadcaster> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var startupSent = false;
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(options.CurrentValue.BroadcastIntervalMs), time);
        try
        {
            do
            {
                try
                {
                    var (_, version) = await parameters.CurrentAsync();
                    var behind = fleet.AppliedVersions.Where(s => s.Value < version).Select(s => s.Key).Order(StringComparer.Ordinal).ToArray();
                    if (!startupSent || behind.Length > 0)
                    {
                        if (behind.Length > 0)
                        {
                            LogRepublishing(version, behind.Length, string.Join(", ", behind.Take(10)));
                        }

                        startupSent |= await parameters.RebroadcastAsync(stoppingToken);
                    }
                }
                catch (Exception e) when (!stoppingToken.IsCancellationRequested)
                {
                    LogBroadcastFailed(e.Message);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // stopping
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Republishing parameters version {Version}: {Count} service(s) behind ({Services})")]
    private partial void LogRepublishing(long version, int count, string services);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Parameter broadcast failed ({Error}); trying again at the next interval")]
    private partial void LogBroadcastFailed(string error);
}
