namespace Planetary.AppHost.Tests;

/// <summary>Bounds for every wait: xunit's Timeout (ms) and the spans the awaits honour.</summary>
internal static class TestTimeouts
{
    /// <summary>xunit's per-test limit.</summary>
    public const int TestMilliseconds = 90_000;

    /// <summary>Building and starting the whole fleet (about 15-30 s on two cores).</summary>
    public static readonly TimeSpan Start = TimeSpan.FromMinutes(3);

    /// <summary>Stopping it (services stop their buses, the servers shut down).</summary>
    public static readonly TimeSpan Stop = TimeSpan.FromMinutes(1);

    /// <summary>One resource reaching a state (healthy, restarted, stopped).</summary>
    public static readonly TimeSpan Resource = TimeSpan.FromSeconds(60);
}
