using Planetary.Fabric.Hosting;
namespace Planetary.ShardRouter;

/// <summary>Asks for one tick every <c>routers.tickMs</c> (following owner changes), once the router is ready.</summary>
public sealed class RouterClock(ProcessorInbox inbox, RouterReadiness readiness, RouterProcessor processor, TimeProvider time) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await readiness.WhenReady(stoppingToken);
        var period = processor.TickMs;
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(period), time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            inbox.RequestTick();
            if (processor.TickMs != period)
            {
                period = processor.TickMs;
                timer.Period = TimeSpan.FromMilliseconds(period);
            }
        }
    }
}
