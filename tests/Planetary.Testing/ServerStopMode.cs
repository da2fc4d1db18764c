namespace Planetary.Testing;

/// <summary>How a server is taken down for a restart.</summary>
public enum ServerStopMode
{
    /// <summary>SIGTERM: the server shuts down cleanly (flushes, closes connections).</summary>
    Graceful,

    /// <summary>SIGKILL: the server dies at once, as in a crash. Containers fall back to a graceful stop.</summary>
    Kill,
}
