using Planetary.Fabric.Agents;
using Planetary.Fabric.Routing;

namespace Planetary.Fabric.Tests;

/// <summary>Lets the tests hand the state machines contract messages, as a bus does (through the cores' one mapping).</summary>
internal static class MessageInputs
{
    public static RouterStep Handle(this ShardRouter router, object message, long tick) => router.Handle(RouterInput.FromMessage(message), tick);

    public static IReadOnlyList<Effects.Effect> Handle(this NodeAgent agent, object message, long tick) => agent.Handle(AgentInput.FromMessage(message), tick);
}
