using System.Net.Sockets;

namespace Planetary.LocalServers.Probes;

/// <summary>One short request/reply over a fresh TCP connection, bounded by a timeout.</summary>
internal static class TcpExchange
{
    /// <summary>
    /// Connects, sends <paramref name="request"/>, and reads until <paramref name="replyBytes"/> bytes arrived.
    /// Returns what arrived, or null when the server refused, closed early, or did not answer in time.
    /// </summary>
    public static async Task<byte[]?> SendAndReceiveAsync(
        string host, int port, ReadOnlyMemory<byte> request, int replyBytes, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            using var client = new TcpClient(AddressFamily.InterNetwork) { NoDelay = true };
            await client.ConnectAsync(host, port, deadline.Token).ConfigureAwait(false);
            var stream = client.GetStream();
            await stream.WriteAsync(request, deadline.Token).ConfigureAwait(false);

            var reply = new byte[replyBytes];
            await stream.ReadExactlyAsync(reply, deadline.Token).ConfigureAwait(false);
            return reply;
        }
        catch (Exception exception) when (exception is SocketException or IOException or EndOfStreamException
                                           || (exception is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return null;
        }
    }
}
