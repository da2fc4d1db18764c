using System.Text;

namespace Planetary.LocalServers.Probes;

/// <summary>
/// Readiness of an AMQP 0-9-1 broker by speaking the protocol: send the protocol header and expect the
/// broker's first frame. A bare TCP connect is not enough (a proxy may accept before the broker is up).
/// </summary>
public static class AmqpProbe
{
    private const byte MethodFrameType = 1;
    private static readonly byte[] ProtocolHeader = [.. Encoding.ASCII.GetBytes("AMQP"), 0, 0, 9, 1];

    /// <summary>True when the broker answers the protocol header with a method frame (Connection.Start).</summary>
    public static async Task<bool> IsReadyAsync(
        string host, int port, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var reply = await TcpExchange.SendAndReceiveAsync(host, port, ProtocolHeader, 1, timeout, cancellationToken)
            .ConfigureAwait(false);
        return reply is [MethodFrameType];
    }
}
