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

    public async Task SendAsync(string queue, object message, CancellationToken cancellationToken)
    {
        var endpoint = await _endpoints.GetOrAdd(queue, q => bus.GetSendEndpoint(new Uri($"queue:{q}")));
        await endpoint.Send(message, message.GetType(), cancellationToken);
    }
}
