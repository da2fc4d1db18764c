namespace Planetary.OwnerControl.Tests;

/// <summary>Bounds for every test: xunit's Timeout (ms) and the waits inside a test.</summary>
internal static class TestTimeouts
{
    public const int TestMilliseconds = 60_000;

    /// <summary>Starting the servers and owner control (and installing the Mermaid checker on a fresh clone).</summary>
    public static readonly TimeSpan Startup = TimeSpan.FromMinutes(3);

    /// <summary>How long a test waits for a message or a report to arrive.</summary>
    public static readonly TimeSpan Arrival = TimeSpan.FromSeconds(15);
}
