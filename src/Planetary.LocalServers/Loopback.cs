namespace Planetary.LocalServers;

/// <summary>Local servers listen on the IPv4 loopback address only.</summary>
public static class Loopback
{
    /// <summary>The address every local server binds to and every probe connects to.</summary>
    public const string Address = "127.0.0.1";
}
