using System.Text;

namespace Planetary.LocalServers.Probes;

/// <summary>Readiness of a Redis server: <c>PING</c> answered with <c>+PONG</c> (not <c>-LOADING</c>).</summary>
public static class RedisProbe
{
    private static readonly byte[] PingCommand = Encoding.ASCII.GetBytes("*1\r\n$4\r\nPING\r\n");
    private static readonly byte[] PongReply = Encoding.ASCII.GetBytes("+PONG");

    /// <summary>True when the server answers PING with PONG.</summary>
    public static async Task<bool> IsReadyAsync(
        string host, int port, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var reply = await TcpExchange.SendAndReceiveAsync(host, port, PingCommand, PongReply.Length, timeout, cancellationToken)
            .ConfigureAwait(false);
        return reply is not null && reply.AsSpan().SequenceEqual(PongReply);
    }
}
