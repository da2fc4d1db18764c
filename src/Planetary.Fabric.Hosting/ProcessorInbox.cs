using System.Threading.Channels;

namespace Planetary.Fabric.Hosting;

/// <summary>
/// Where consumers and the clock hand work to a service's single processor loop (the one thread that owns its state
/// machine). A message's task completes once the step it belongs to is durable: only then may the consumer return and
/// RabbitMQ consider the message acknowledged.
/// </summary>
public sealed class ProcessorInbox
{
    private readonly Channel<Work> _channel = Channel.CreateUnbounded<Work>(new UnboundedChannelOptions { SingleReader = true });
    private int _tickPending;

    public ChannelReader<Work> Reader => _channel.Reader;

    public Task Handle(object message)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_channel.Writer.TryWrite(new Work(message, done)))
        {
            done.SetException(new InvalidOperationException("The service is shutting down."));
        }

        return done.Task;
    }

    /// <summary>Asks for one tick. Ticks do not pile up: under load virtual time stretches instead of bursting.</summary>
    public void RequestTick()
    {
        if (Interlocked.Exchange(ref _tickPending, 1) == 0)
        {
            _channel.Writer.TryWrite(Work.Tick);
        }
    }

    public void TickTaken() => Volatile.Write(ref _tickPending, 0);

    public void Complete() => _channel.Writer.TryComplete();

    /// <summary>A message (with its completion) or, when <see cref="Message"/> is null, a tick.</summary>
    public sealed record Work(object? Message, TaskCompletionSource? Done)
    {
        public static readonly Work Tick = new(null, null);
    }
}
