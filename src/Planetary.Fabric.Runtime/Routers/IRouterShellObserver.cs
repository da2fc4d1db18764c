using Planetary.Contracts;
using Planetary.Fabric.Routing;

namespace Planetary.Fabric.Runtime.Routers;

/// <summary>What a router process reports of itself as it runs: telemetry live, invariant checks in the simulator.</summary>
public interface IRouterShellObserver
{
    /// <summary>The process restored its state and owns its shard (epoch <paramref name="epoch"/>).</summary>
    void Recovered(RouterResumed resumed, long epoch, TimeSpan took) { }

    /// <summary>One batch was made durable (or changed nothing) and acknowledged; its effects are about to be sent.</summary>
    void Committed(RouterState state, RouterStep step, int inputs, TimeSpan took) { }

    /// <summary>The books already held outcomes of this commit: each is a job finished twice (never expected).</summary>
    void OutcomesAlreadyInBooks(IReadOnlyList<JobOutcome> outcomes, int count) { }

    /// <summary>Handing effects to the broker failed; the shell tries again.</summary>
    void DispatchRetry(int attempt, Exception error) { }

    /// <summary>An input was malformed (or stored parameters invalid) and never reached the core; it goes to the error queue.</summary>
    void Quarantined(RouterInput input, string problem) { }

    /// <summary>A drill asked this process to crash.</summary>
    void CrashRequested(CrashRouter request) { }
}

/// <summary>An observer that notices nothing.</summary>
public sealed class NoRouterShellObserver : IRouterShellObserver
{
    public static readonly NoRouterShellObserver Instance = new();
}
