namespace Planetary.Testing.Tests;

/// <summary>Bounds for every test: xunit's Timeout (ms) and the token each test's awaits honour.</summary>
internal static class TestTimeouts
{
    public const int TestMilliseconds = 120_000;

    public static readonly TimeSpan Operation = TimeSpan.FromSeconds(90);
}
