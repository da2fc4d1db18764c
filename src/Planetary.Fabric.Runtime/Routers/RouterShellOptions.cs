namespace Planetary.Fabric.Runtime.Routers;

/// <summary>How a router process runs its core (the same rules live and simulated; only the bindings differ).</summary>
public sealed record RouterShellOptions
{
    /// <summary>Ticks between status reports (and between checks that this process still owns its shard).</summary>
    public int StatusIntervalTicks { get; init; } = 10;

    /// <summary>How long one attempt to hand effects to the broker may take (null: unbounded, as in the simulator).</summary>
    public TimeSpan? SendAttemptTimeout { get; init; } = EffectDispatch.DefaultAttemptTimeout;

    /// <summary>After this long without the broker taking the effects, the process fail-stops (null: keep trying).</summary>
    public TimeSpan? SendGiveUpAfter { get; init; } = TimeSpan.FromMinutes(2);
}
