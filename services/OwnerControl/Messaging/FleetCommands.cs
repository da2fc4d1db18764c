using Microsoft.Extensions.Options;
using Planetary.Fabric.Hosting.Messaging;

namespace Planetary.OwnerControl.Messaging;

/// <summary>Sends owner commands to a service's queue and waits for the broker's confirmation, within the broker timeout.</summary>
public sealed partial class FleetCommands(EffectDispatcher dispatcher, IOptionsMonitor<OwnerControlOptions> options, ILogger<FleetCommands> logger)
{
    /// <summary>True once RabbitMQ confirmed the message; false if it did not within the timeout (or the request ended).</summary>
    public async Task<bool> SendAsync(string queue, object message, string actor, CancellationToken requestAborted)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(requestAborted);
        deadline.CancelAfter(TimeSpan.FromMilliseconds(options.CurrentValue.BrokerTimeoutMs));
        try
        {
            await dispatcher.SendAsync(queue, message, deadline.Token);
            LogSent(message.GetType().Name, queue, actor);
            return true;
        }
        catch (Exception e) when (e is OperationCanceledException || !requestAborted.IsCancellationRequested)
        {
            LogSendFailed(message.GetType().Name, queue, e.Message);
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Sent {Command} to {Queue} for {Actor}")]
    private partial void LogSent(string command, string queue, string actor);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Command} to {Queue} was not confirmed by the broker: {Error}")]
    private partial void LogSendFailed(string command, string queue, string error);
}
