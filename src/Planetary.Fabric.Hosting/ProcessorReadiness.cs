using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Planetary.Fabric.Hosting;

/// <summary>
/// Ready once a service's processor has finished starting (a router: restored from snapshot and journal; an agent:
/// registered with the current parameters). Until then <c>/health</c> answers Unhealthy, so the app host waits.
/// </summary>
public sealed class ProcessorReadiness : IHealthCheck
{
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private string? _description;

    public Task WhenReady(CancellationToken cancellationToken) => _ready.Task.WaitAsync(cancellationToken);

    public void MarkReady(string description)
    {
        _description = description;
        _ready.TrySetResult();
    }

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(_ready.Task.IsCompletedSuccessfully ? HealthCheckResult.Healthy(_description) : HealthCheckResult.Unhealthy("starting"));
}
