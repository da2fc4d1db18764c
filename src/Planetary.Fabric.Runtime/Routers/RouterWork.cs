using Planetary.Contracts;
using Planetary.Fabric.Routing;
using Planetary.Fabric.Runtime.Ports;

namespace Planetary.Fabric.Runtime.Routers;

/// <summary>One unit of work for a router process: a tick, an input for the core, or a process command.</summary>
public abstract record RouterWork
{
    private RouterWork()
    {
    }

    /// <summary>Told once the work is durable (null: nobody waits, e.g. a tick).</summary>
    public abstract IAcknowledgement? Ack { get; }

    /// <summary>The work for a contract message a router process takes (an input for the core, or <see cref="CrashRouter"/>).</summary>
    public static RouterWork FromMessage(object message, IAcknowledgement? ack) =>
        message is CrashRouter crash ? new Crash(crash, ack) : new Input(RouterInput.FromMessage(message), ack);

    /// <summary>One scheduling cycle of the core.</summary>
    public sealed record Tick : RouterWork
    {
        public static readonly Tick Once = new();

        public override IAcknowledgement? Ack => null;
    }

    /// <summary>A message for the core.</summary>
    public sealed record Input(RouterInput Message, IAcknowledgement? Acknowledgement) : RouterWork
    {
        public override IAcknowledgement? Ack => Acknowledgement;
    }

    /// <summary>A drill fault: the named process instance exits at once, as kill -9 would.</summary>
    public sealed record Crash(CrashRouter Request, IAcknowledgement? Acknowledgement) : RouterWork
    {
        public override IAcknowledgement? Ack => Acknowledgement;
    }
}
