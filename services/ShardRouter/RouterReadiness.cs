using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Planetary.ShardRouter;

/// <summary>Ready once the router has rebuilt its state (snapshot + journal tail) and journaled its recovery.</summary>
public sealed class RouterReadiness : IHealthCheck
{
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public string? Description { get; private set; }

    public Task WhenReady(CancellationToken cancellationToken) => _ready.Task.WaitAsync(cancellationToken);

    public void MarkReady(string description)
    {
        Description = description;
        _ready.TrySetResult();
    }

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(_ready.Task.IsCompletedSuccessfully
            ? HealthCheckResult.Healthy(Description)
            : HealthCheckResult.Unhealthy("restoring from snapshot and journal"));
}
