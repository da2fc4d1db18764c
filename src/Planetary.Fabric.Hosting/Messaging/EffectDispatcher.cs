using System.Collections.Concurrent;
using MassTransit;
using Planetary.Fabric.Effects;

namespace Planetary.Fabric.Hosting.Messaging;

/// <summary>
/// Carries out a state machine's effects over RabbitMQ: <see cref="Send"/> to the addressed service's queue,
/// <see cref="Publish"/> to every subscriber. Each returns once the broker has confirmed the message (publisher
/// confirms), so the caller acknowledges its own input only after its effects are safely on their way.
/// </summary>
public sealed class EffectDispatcher(IBus bus)
{
    private readonly ConcurrentDictionary<string, Task<ISendEndpoint>> _endpoints = new(StringComparer.Ordinal);

    public async Task DispatchAsync(IReadOnlyList<Effect> effects, CancellationToken cancellationToken)
    {
        foreach (var effect in effects)
        {
            switch (effect)
            {
                case Send send:
                    var endpoint = await _endpoints.GetOrAdd(Queues.For(send.To), q => bus.GetSendEndpoint(new Uri($"queue:{q}")));
                    await endpoint.Send(send.Message, send.Message.GetType(), cancellationToken);
                    break;
                case Publish publish:
                    await bus.Publish(publish.Message, publish.Message.GetType(), cancellationToken);
                    break;
            }
        }
    }

    /// <summary>
    /// Dispatches until the broker confirms every effect (it may be restarting), each attempt bounded by
    /// <paramref name="attemptTimeout"/>; duplicates from a retried attempt are harmless (consumers are idempotent).
    /// Returns false if it was still failing after <paramref name="giveUpAfter"/> (null: never give up).
    /// </summary>
    public async Task<bool> DispatchUntilConfirmedAsync(
        IReadOnlyList<Effect> effects, TimeProvider time, TimeSpan attemptTimeout, TimeSpan? giveUpAfter,
        Action<int, Exception> onRetry, CancellationToken cancellationToken)
    {
        var since = time.GetTimestamp();
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                bounded.CancelAfter(attemptTimeout);
                await DispatchAsync(effects, bounded.Token);
                return true;
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                if (giveUpAfter is { } limit && time.GetElapsedTime(since) > limit)
                {
                    return false;
                }

                onRetry(attempt, e);
                await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(2_000, 100 * attempt)), time, cancellationToken);
            }
        }
    }

    public async Task SendAsync(string queue, object message, CancellationToken cancellationToken)
    {
        var endpoint = await _endpoints.GetOrAdd(queue, q => bus.GetSendEndpoint(new Uri($"queue:{q}")));
        await endpoint.Send(message, message.GetType(), cancellationToken);
    }
}
