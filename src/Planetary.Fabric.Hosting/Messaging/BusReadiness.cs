using MassTransit;

namespace Planetary.Fabric.Hosting.Messaging;

/// <summary>
/// Completes once MassTransit's bus has started and its endpoints are ready. A service's processor may start before the
/// bus does (they are separate hosted services); its first sends wait here instead of inside a publish that times out,
/// which MassTransit would log as a send fault at error level on every fresh start.
/// </summary>
public sealed class BusReadiness : IBusObserver
{
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task Ready => _ready.Task;

    public void PostCreate(IBus bus)
    {
    }

    public void CreateFaulted(Exception exception)
    {
    }

    public Task PreStart(IBus bus) => Task.CompletedTask;

    public async Task PostStart(IBus bus, Task<BusReady> busReady)
    {
        try
        {
            await busReady.ConfigureAwait(false);
        }
        catch (Exception) when (!_ready.Task.IsCompleted)
        {
            // the endpoints did not all come up; sends still go on, and the shells retry them as always
        }

        _ready.TrySetResult();
    }

    public Task StartFaulted(IBus bus, Exception exception) => Task.CompletedTask;

    public Task PreStop(IBus bus) => Task.CompletedTask;

    public Task PostStop(IBus bus) => Task.CompletedTask;

    public Task StopFaulted(IBus bus, Exception exception) => Task.CompletedTask;
}
