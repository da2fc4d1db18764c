using Planetary.Fabric.Runtime.Agents;
using Planetary.Fabric.Runtime.Checkpoints;
using Planetary.Fabric.Runtime.Routers;
using Planetary.Fabric.Simulation.Ports;

namespace Planetary.Fabric.Simulation;

/// <summary>A message handed to a process and not yet acknowledged: if the process dies first, the broker delivers it again.</summary>
internal readonly record struct Taken(Delivery Delivery, SimulatedAck Ack);

/// <summary>One simulated router process of a shard. <see cref="Supervised"/> ones are restarted when they stop; an operator's duplicate is not.</summary>
internal sealed class RouterProcess(RouterShell shell, SimulatedProcess process, bool supervised)
{
    public RouterShell Shell { get; } = shell;

    public SimulatedProcess Process { get; } = process;

    public bool Supervised { get; } = supervised;

    public bool Alive { get; set; } = true;

    public List<Taken> Inbox { get; } = [];
}

/// <summary>The router processes of one shard, in the order they subscribed to the shard's queue.</summary>
internal sealed class ShardProcesses(string shardId)
{
    public string ShardId { get; } = shardId;

    public List<RouterProcess> Processes { get; } = [];

    /// <summary>When the supervisor starts the shard's router again (-1: not scheduled).</summary>
    public long RestartAtTick { get; set; } = -1;

    /// <summary>The queue's single active consumer: the longest-subscribed live process.</summary>
    public RouterProcess? ActiveConsumer => Processes.FirstOrDefault(p => p.Alive && p.Shell.Started);

    public RouterProcess? Supervised => Processes.FirstOrDefault(p => p.Alive && p.Supervised);
}

internal sealed class AgentProcess(AgentShell shell, SimulatedProcess process)
{
    public AgentShell Shell { get; } = shell;

    public SimulatedProcess Process { get; } = process;

    public bool Alive { get; set; } = true;

    public List<Taken> Inbox { get; } = [];
}

internal sealed class CheckpointerProcess(CheckpointerShell shell, SimulatedProcess process, bool supervised)
{
    public CheckpointerShell Shell { get; } = shell;

    public SimulatedProcess Process { get; } = process;

    public bool Supervised { get; } = supervised;

    public bool Alive { get; set; } = true;

    public bool Started { get; set; }
}
