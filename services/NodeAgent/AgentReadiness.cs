using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Planetary.NodeAgent;

/// <summary>Ready once the agent has loaded the current parameters and registered with its router.</summary>
public sealed class AgentReadiness : IHealthCheck
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
