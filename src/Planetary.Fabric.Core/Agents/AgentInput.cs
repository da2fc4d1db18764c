using Planetary.Contracts;

namespace Planetary.Fabric.Agents;

/// <summary>Every message a node agent takes, as one closed set (ticks are <see cref="NodeAgent.Tick"/>).</summary>
public abstract record AgentInput
{
    private AgentInput()
    {
    }

    /// <summary>The contract message this input carries.</summary>
    public abstract object Message { get; }

    /// <summary>The input for a contract message an agent takes; throws for any other message (a wiring defect).</summary>
    public static AgentInput FromMessage(object message) => message switch
    {
        AssignJobs m => new Assign(m),
        AcknowledgeJobResults m => new Acknowledge(m),
        TakeNodeOffline m => new TakeOffline(m),
        FabricParametersPublished m => new Parameters(m),
        StopAttempts m => new Stop(m),
        _ => throw new ArgumentException($"A node agent does not take {message.GetType().Name}.", nameof(message)),
    };

    /// <summary>The router hands the node attempts to run.</summary>
    public sealed record Assign(AssignJobs Assignments) : AgentInput
    {
        public override object Message => Assignments;
    }

    /// <summary>The router has journaled these results: stop resending them.</summary>
    public sealed record Acknowledge(AcknowledgeJobResults Acknowledged) : AgentInput
    {
        public override object Message => Acknowledged;
    }

    /// <summary>A drill fault: go silent for a while, losing running work.</summary>
    public sealed record TakeOffline(TakeNodeOffline Request) : AgentInput
    {
        public override object Message => Request;
    }

    /// <summary>The router cancelled these attempts' jobs: stop them and free their slots.</summary>
    public sealed record Stop(StopAttempts Request) : AgentInput
    {
        public override object Message => Request;
    }

    /// <summary>The owner's parameters, published.</summary>
    public sealed record Parameters(FabricParametersPublished Published) : AgentInput
    {
        public override object Message => Published;
    }
}
