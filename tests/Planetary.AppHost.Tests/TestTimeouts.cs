namespace Planetary.AppHost.Tests;

/// <summary>Bounds for every wait: xunit's Timeout (ms) and the spans the awaits honour.</summary>
internal static class TestTimeouts
{
    /// <summary>xunit's per-test limit (above <see cref="Resource"/>, so a wait's own message is what fails a test).</summary>
    public const int TestMilliseconds = 150_000;

    /// <summary>Building and starting the whole fleet until every service is healthy (about 60 s on two cores on 2026-12-07).</summary>
    public static readonly TimeSpan Start = TimeSpan.FromMinutes(4);

    /// <summary>Stopping it (services stop their buses, the servers shut down).</summary>
    public static readonly TimeSpan Stop = TimeSpan.FromMinutes(1);

    /// <summary>
    /// One test's waits for resources reaching a state (healthy, restarted, stopped): a router killed with kill -9 was
    /// healthy again after 20 s on an idle machine, and CI machines have run 1.5 times slower than that.
    /// </summary>
    public static readonly TimeSpan Resource = TimeSpan.FromSeconds(90);
}
