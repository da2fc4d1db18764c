using Microsoft.Extensions.Hosting;

namespace Planetary.Fabric.Hosting;

/// <summary>What a processor tells its clock: the current tick length (owner parameter <c>routers.tickMs</c>), and where ticks go.</summary>
public interface ITickSource
{
    int TickMs { get; }

    void RequestTick();
}

/// <summary>
/// Asks the processor for one tick every <c>routers.tickMs</c>, following owner changes of it, once the processor is
/// ready. The inbox keeps at most one tick pending, so a busy processor stretches virtual time instead of bursting.
/// </summary>
public sealed class ProcessorClock(ProcessorReadiness readiness, ITickSource ticks, TimeProvider time) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await readiness.WhenReady(stoppingToken);
        var period = ticks.TickMs;
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(period), time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            ticks.RequestTick();
            if (ticks.TickMs != period)
            {
                period = ticks.TickMs;
                timer.Period = TimeSpan.FromMilliseconds(period);
            }
        }
    }
}
