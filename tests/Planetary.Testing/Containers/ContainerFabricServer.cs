using DotNet.Testcontainers.Containers;
using Planetary.Testing.Processes;

namespace Planetary.Testing.Containers;

/// <summary>
/// A Testcontainers container bound to a fixed host port, so a stop/start keeps the connection string and
/// the container's filesystem (its data). Readiness after a restart is checked with the same protocol probe
/// as the local servers.
/// </summary>
internal sealed class ContainerFabricServer(
    IContainer container,
    string connectionString,
    Func<CancellationToken, Task<bool>> probe,
    string readyLogLine,
    TimeSpan readinessTimeout) : IFabricServer
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(200);

    /// <summary>The per-attempt bound of one probe exchange.</summary>
    public static TimeSpan ProbeTimeout => Readiness.ProbeTimeout;

    public string ConnectionString { get; } = connectionString;

    /// <remarks>Containers have no kill here: <see cref="ServerStopMode.Kill"/> also stops gracefully.</remarks>
    public async Task RestartAsync(
        ServerStopMode mode = ServerStopMode.Graceful, CancellationToken cancellationToken = default)
    {
        await StopAsync(mode).ConfigureAwait(false);
        await StartAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <remarks>Containers have no kill here: <see cref="ServerStopMode.Kill"/> also stops gracefully.</remarks>
    public Task StopAsync(ServerStopMode mode = ServerStopMode.Graceful) => container.StopAsync();

    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        var restartedAt = DateTime.UtcNow.AddSeconds(-1);
        await container.StartAsync(cancellationToken).ConfigureAwait(false);
        await WaitUntilReadyAsync(restartedAt, cancellationToken).ConfigureAwait(false);
    }

    public ValueTask DisposeAsync() => container.DisposeAsync();

    /// <summary>
    /// Ready = the server logged its ready line since the restart (the wait strategy of the first start would match the
    /// old line: RabbitMQ opens its listener before it has recovered every queue) and it answers its protocol.
    /// </summary>
    private async Task WaitUntilReadyAsync(DateTime since, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(readinessTimeout);
        while (true)
        {
            var (stdout, stderr) = await container.GetLogsAsync(since, DateTime.UtcNow.AddMinutes(1), ct: deadline.Token).ConfigureAwait(false);
            if ((stdout + stderr).Contains(readyLogLine, StringComparison.Ordinal) && await probe(deadline.Token).ConfigureAwait(false))
            {
                return;
            }

            await Task.Delay(PollInterval, deadline.Token).ConfigureAwait(false);
        }
    }
}
