using System.Collections.Concurrent;
using MassTransit;
using Planetary.Fabric.Effects;
using Planetary.Fabric.Runtime.Ports;

namespace Planetary.Fabric.Hosting.Messaging;

/// <summary>
/// Carries out a state machine's effects over RabbitMQ (the shells' <see cref="IEffectBus"/>): <see cref="Send"/> to the
/// addressed service's queue, <see cref="Publish"/> to every subscriber. It returns once the broker has confirmed every
/// message (publisher confirms) and throws when it did not; the shells retry.
/// </summary>
public sealed class EffectDispatcher(IBus bus, FabricTopology topology, BusReadiness readiness) : IEffectBus
{
    private readonly ConcurrentDictionary<string, Task<ISendEndpoint>> _endpoints = new(StringComparer.Ordinal);

    public async ValueTask SendAsync(IReadOnlyList<Effect> effects, CancellationToken cancellationToken)
    {
        await readiness.Ready.WaitAsync(cancellationToken); // the bus has started: nothing is handed to it before
        foreach (var effect in effects)
        {
            switch (effect)
            {
                case Send send:
                    await SendAsync(Queues.For(send.To), send.Message, cancellationToken);
                    break;
                case Publish publish:
                    await bus.Publish(publish.Message, publish.Message.GetType(), cancellationToken);
                    break;
            }
        }
    }

    /// <summary>Sends one command to a queue.</summary>
    public async Task SendAsync(string queue, object message, CancellationToken cancellationToken)
    {
        await readiness.Ready.WaitAsync(cancellationToken);
        await topology.Declared.WaitAsync(cancellationToken); // before the first send: its queue exists, declared by its owner's rules
        var endpoint = await _endpoints.GetOrAdd(queue, q => bus.GetSendEndpoint(Queues.SendAddress(q)));
        await endpoint.Send(message, message.GetType(), cancellationToken);
    }
}
