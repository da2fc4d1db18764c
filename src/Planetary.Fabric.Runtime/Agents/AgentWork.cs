using Planetary.Fabric.Agents;
using Planetary.Fabric.Runtime.Ports;

namespace Planetary.Fabric.Runtime.Agents;

/// <summary>One unit of work for a node agent process: a tick or an input for the core.</summary>
public abstract record AgentWork
{
    private AgentWork()
    {
    }

    public abstract IAcknowledgement? Ack { get; }

    public static AgentWork FromMessage(object message, IAcknowledgement? ack) => new Input(AgentInput.FromMessage(message), ack);

    public sealed record Tick : AgentWork
    {
        public static readonly Tick Once = new();

        public override IAcknowledgement? Ack => null;
    }

    public sealed record Input(AgentInput Message, IAcknowledgement? Acknowledgement) : AgentWork
    {
        public override IAcknowledgement? Ack => Acknowledgement;
    }
}
