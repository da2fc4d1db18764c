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
        await container.StopAsync(cancellationToken).ConfigureAwait(false);
        await container.StartAsync(cancellationToken).ConfigureAwait(false);
        await WaitUntilReadyAsync(cancellationToken).ConfigureAwait(false);
    }

    public ValueTask DisposeAsync() => container.DisposeAsync();

    private async Task WaitUntilReadyAsync(CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(readinessTimeout);
        while (!await probe(deadline.Token).ConfigureAwait(false))
        {
            await Task.Delay(PollInterval, deadline.Token).ConfigureAwait(false);
        }
    }
}
