using Planetary.Fabric.Hosting;

namespace Planetary.NodeAgent;

/// <summary>Asks for one tick every <c>routers.tickMs</c>, once the agent has registered.</summary>
public sealed class AgentClock(ProcessorInbox inbox, AgentReadiness readiness, AgentProcessor processor, TimeProvider time) : BackgroundService
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
