namespace Planetary.Testing.Processes;

/// <summary>Polls a protocol probe until the server answers, the process dies, or time runs out.</summary>
internal static class Readiness
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);

    /// <summary>The per-attempt bound of one probe exchange.</summary>
    public static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(1);

    public static async Task WaitAsync(
        ServerProcess process,
        Func<CancellationToken, Task<bool>> probe,
        TimeSpan timeout,
        CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            while (true)
            {
                process.ThrowIfExited();
                if (await probe(deadline.Token).ConfigureAwait(false))
                {
                    return;
                }

                await Task.Delay(PollInterval, deadline.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException(
                $"{process.Name} (pid {process.ProcessId}) did not answer its protocol within {timeout}. " +
                $"Last output:{Environment.NewLine}{process.RecentOutput}");
        }
    }
}
