using System.Buffers.Binary;

namespace Planetary.LocalServers.Probes;

/// <summary>Readiness of an Erlang port mapper: a NAMES request answered with the port epmd listens on.</summary>
public static class EpmdProbe
{
    // Two-byte big-endian length (1), then NAMES_REQ ('n' = 110).
    private static readonly byte[] NamesRequest = [0, 1, 110];

    /// <summary>True when epmd answers NAMES on <paramref name="port"/> with that same port.</summary>
    public static async Task<bool> IsReadyAsync(
        string host, int port, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var reply = await TcpExchange.SendAndReceiveAsync(host, port, NamesRequest, 4, timeout, cancellationToken)
            .ConfigureAwait(false);
        return reply is not null && BinaryPrimitives.ReadInt32BigEndian(reply) == port;
    }
}
