using Planetary.Fabric.Effects;
using Planetary.Fabric.Runtime.Ports;

namespace Planetary.Fabric.Simulation.Ports;

/// <summary>A process's connection to the simulated broker: effects go onto the bus at the current tick.</summary>
public sealed class SimulatedBusPort(SimulatedBus bus, Func<long> now) : IEffectBus
{
    public ValueTask SendAsync(IReadOnlyList<Effect> effects, CancellationToken cancellationToken)
    {
        bus.Carry(effects, now());
        return ValueTask.CompletedTask;
    }
}
