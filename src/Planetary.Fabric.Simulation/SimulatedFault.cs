namespace Planetary.Fabric.Simulation;

/// <summary>
/// A fault the simulator injects on top of a drill plan (the plan's own faults — node outages, router kills, owner
/// changes — go through the drill engine, as on the live fleet). Each is something that happens to real deployments.
/// </summary>
public abstract record SimulatedFault(long AtTick)
{
    /// <summary>A node agent process dies and its supervisor starts it again at once, with empty memory.</summary>
    public sealed record AgentCrash(long AtTick, string NodeId) : SimulatedFault(AtTick);

    /// <summary>An operator (or a supervisor that thinks the first one hangs) starts a second router for a shard that is served.</summary>
    public sealed record SecondRouter(long AtTick, string ShardId) : SimulatedFault(AtTick);

    /// <summary>The checkpointer dies in the middle of a round, after checkpointing <paramref name="AfterShards"/> shards.</summary>
    public sealed record CheckpointerCrash(long AtTick, int AfterShards, int DownTicks) : SimulatedFault(AtTick);

    /// <summary>A second checkpointer starts while the first runs.</summary>
    public sealed record SecondCheckpointer(long AtTick) : SimulatedFault(AtTick);

    /// <summary>
    /// kill -9 of the state store: nothing it acknowledged is lost; while it is down every call fails. With
    /// <paramref name="DuringCommit"/> it dies in the middle of the next commit, which was applied or not
    /// (<paramref name="CommitApplied"/>), its reply lost either way.
    /// </summary>
    public sealed record StateStoreRestart(long AtTick, int DownTicks, bool DuringCommit, bool CommitApplied) : SimulatedFault(AtTick);

    /// <summary>kill -9 of the broker: queued messages survive, in-flight ones are redelivered or duplicated.</summary>
    public sealed record BrokerRestart(long AtTick, int DownTicks, double DuplicateRate) : SimulatedFault(AtTick);

    /// <summary>Every service of the fleet is killed at once and started again (the servers keep running).</summary>
    public sealed record FleetRestart(long AtTick, int DownTicks) : SimulatedFault(AtTick);

    /// <summary>
    /// A client submits one of the drill's earlier batches again (the same job ids, however long ago), to the same shard or
    /// (<paramref name="ToAnotherShard"/>) to another one: nothing may run twice.
    /// </summary>
    public sealed record ClientResubmit(long AtTick, bool ToAnotherShard = false) : SimulatedFault(AtTick);

    /// <summary>Someone publishes malformed messages to a router's and an agent's queue: they are quarantined, and both keep serving.</summary>
    public sealed record PoisonMessages(long AtTick) : SimulatedFault(AtTick);

    /// <summary>The owner cancels one of the drill's jobs, wherever it is.</summary>
    public sealed record ClientCancel(long AtTick) : SimulatedFault(AtTick);
}
