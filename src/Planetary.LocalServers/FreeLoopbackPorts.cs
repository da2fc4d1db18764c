using System.Net;
using System.Net.Sockets;

namespace Planetary.LocalServers;

/// <summary>Picks distinct loopback ports that are free right now (the operating system's ephemeral choice).</summary>
public static class FreeLoopbackPorts
{
    /// <summary>Returns <paramref name="count"/> distinct ports; another process may still take one before use.</summary>
    public static int[] Take(int count)
    {
        var listeners = Enumerable.Range(0, count)
            .Select(_ => new TcpListener(IPAddress.Loopback, 0))
            .ToList();
        try
        {
            // All held open at once, so the ports are distinct.
            listeners.ForEach(listener => listener.Start());
            return listeners.Select(listener => ((IPEndPoint)listener.LocalEndpoint).Port).ToArray();
        }
        finally
        {
            listeners.ForEach(listener => listener.Stop());
        }
    }
}
