using Microsoft.Extensions.Logging;
using Planetary.Fabric.Runtime.Ports;

namespace Planetary.Fabric.Hosting;

/// <summary>
/// How a service starts while the state store may be away (restarting, or not up yet): it tries, and while Redis does
/// not answer it says so in plain words and tries again, instead of crash-looping with a client library's dump.
/// </summary>
public static partial class StateStoreWait
{
    public static async Task UntilDoneAsync(Func<Task> start, string service, ILogger logger, TimeProvider time, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await start();
                return;
            }
            catch (StateStoreUnavailableException e) when (!cancellationToken.IsCancellationRequested)
            {
                if (attempt == 1 || attempt % 10 == 0)
                {
                    LogWaiting(logger, service, e.Message);
                }

                await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(2_000, 100 * attempt)), time, cancellationToken);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Service}: waiting for the state store ({Reason})")]
    private static partial void LogWaiting(ILogger logger, string service, string reason);
}
