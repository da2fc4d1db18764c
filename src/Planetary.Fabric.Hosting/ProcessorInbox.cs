using System.Threading.Channels;
using Planetary.Fabric.Runtime.Ports;

namespace Planetary.Fabric.Hosting;

/// <summary>
/// Where consumers and the clock hand work to a service's single processor loop (the one thread that owns its state
/// machine). A message's task completes once the batch it belongs to is durable: only then may the consumer return and
/// RabbitMQ consider the message acknowledged.
/// </summary>
public sealed class ProcessorInbox<TWork>(TWork tick) where TWork : class
{
    private readonly Channel<TWork> _channel = Channel.CreateUnbounded<TWork>(new UnboundedChannelOptions { SingleReader = true });
    private int _tickPending;

    /// <summary>Hands over one message's work (built around its acknowledgement); completes once it is durable.</summary>
    public Task Handle(Func<IAcknowledgement, TWork> work)
    {
        var done = new CompletionAcknowledgement();
        if (!_channel.Writer.TryWrite(work(done)))
        {
            done.Fail(new InvalidOperationException("The service is shutting down."));
        }

        return done.Task;
    }

    /// <summary>Asks for one tick. Ticks do not pile up: under load virtual time stretches instead of bursting.</summary>
    public void RequestTick()
    {
        if (Interlocked.Exchange(ref _tickPending, 1) == 0)
        {
            _channel.Writer.TryWrite(tick);
        }
    }

    /// <summary>Waits for work, then takes what is waiting (up to <paramref name="max"/>) into <paramref name="batch"/>; false when the inbox is closed.</summary>
    public async ValueTask<bool> TakeBatchAsync(List<TWork> batch, int max, CancellationToken cancellationToken)
    {
        batch.Clear();
        if (!await _channel.Reader.WaitToReadAsync(cancellationToken))
        {
            return false;
        }

        while (batch.Count < max && _channel.Reader.TryRead(out var work))
        {
            if (ReferenceEquals(work, tick))
            {
                Volatile.Write(ref _tickPending, 0);
            }

            batch.Add(work);
        }

        return true;
    }

    public void Complete() => _channel.Writer.TryComplete();

    private sealed class CompletionAcknowledgement : IAcknowledgement
    {
        private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Task => _done.Task;

        public void Acknowledge() => _done.TrySetResult();

        public void Reject(string reason) => _done.TrySetException(new QuarantinedInputException(reason));

        public void Fail(Exception e) => _done.TrySetException(e);
    }
}

/// <summary>
/// A malformed input its service refused before the core saw it. The consumer throws it, so MassTransit moves the message
/// to the queue's error queue at once (no retries) with the reason in its fault headers.
/// </summary>
public sealed class QuarantinedInputException(string reason) : Exception($"malformed input, quarantined: {reason}");
