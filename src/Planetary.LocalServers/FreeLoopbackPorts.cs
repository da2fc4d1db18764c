using System.Net;
using System.Net.Sockets;

namespace Planetary.LocalServers;

/// <summary>
/// Picks distinct loopback ports that are free right now, below the operating system's ephemeral range: a port the
/// kernel hands out for outgoing connections (or to another <c>bind(0)</c>) can be taken again between the pick and the
/// server's start, and a RabbitMQ node then fails to boot on "address in use".
/// </summary>
public static class FreeLoopbackPorts
{
    private const int Lowest = 10_000;
    private const int DefaultEphemeralStart = 32_768;

    /// <summary>Returns <paramref name="count"/> distinct ports; another process may still take one before use.</summary>
    public static int[] Take(int count)
    {
        var below = EphemeralRangeStart();
        var listeners = new List<TcpListener>();
        try
        {
            // All held open at once, so the ports are distinct.
            for (var attempt = 0; listeners.Count < count; attempt++)
            {
                if (attempt > 1_000)
                {
                    throw new InvalidOperationException($"No {count} free loopback ports between {Lowest} and {below}.");
                }

                var listener = new TcpListener(IPAddress.Loopback, Random.Shared.Next(Lowest, below));
                try
                {
                    listener.Start();
                    listeners.Add(listener);
                }
                catch (SocketException)
                {
                    // Taken: try another.
                }
            }

            return listeners.Select(listener => ((IPEndPoint)listener.LocalEndpoint).Port).ToArray();
        }
        finally
        {
            listeners.ForEach(listener => listener.Stop());
        }
    }

    /// <summary>The first port of the kernel's ephemeral range (Linux: <c>net.ipv4.ip_local_port_range</c>).</summary>
    private static int EphemeralRangeStart()
    {
        try
        {
            var range = File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range").Split((char[])['\t', ' '], StringSplitOptions.RemoveEmptyEntries);
            return int.TryParse(range[0], out var start) && start > Lowest + 1_000 ? start : DefaultEphemeralStart;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return DefaultEphemeralStart;
        }
    }
}
