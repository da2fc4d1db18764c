using Planetary.Contracts;
using Planetary.Fabric.Agents;
using Planetary.Fabric.Determinism;
using Planetary.Fabric.Effects;
using Planetary.Fabric.Manifest;
using Planetary.Fabric.Routing;
using Planetary.Fabric.Runtime.Agents;
using Planetary.Fabric.Runtime.Checkpoints;
using Planetary.Fabric.Runtime.Drills;
using Planetary.Fabric.Runtime.Ports;
using Planetary.Fabric.Runtime.Routers;
using Planetary.Fabric.Simulation.Ports;

namespace Planetary.Fabric.Simulation;

/// <summary>
/// The fleet in virtual time: the same router, agent and checkpointer shells and the same drill engine as the live
/// services, bound to an in-memory state store, a simulated broker and a virtual clock. Each tick: the simulator's own
/// faults, supervised restarts, a drill tick (the plan's faults, the books, submissions), deliveries, each process's
/// batch (its messages and a tick, as one group commit), the owner, checkpoints, invariants. Nothing here decides
/// anything about jobs (the core does) or about processes (the shells do).
/// </summary>
public sealed partial class Simulation
{
    private readonly SimulationOptions _options;
    private readonly FabricManifest _genesis;
    private readonly ulong _seed;
    private readonly SimulatedClock _clock = new();
    private readonly MemoryStateStore _store;
    private readonly SimulatedBus _bus;
    private readonly SimulatedBusPort _busPort;
    private readonly SimulatedOwner _owner;
    private readonly InvariantChecker _invariants;
    private readonly DrillEngine _engine;
    private readonly SimulatedFleet _fleet;
    private readonly SeededRandom _chaos;
    private readonly SortedDictionary<string, ShardProcesses> _routers = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, AgentProcess?> _agents = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, long> _agentRestartAt = new(StringComparer.Ordinal);
    private readonly List<CheckpointerProcess> _checkpointers = [];
    private readonly List<RouterResumed> _resumes = [];
    private readonly List<Effect> _effects = [];
    private readonly Dictionary<string, NodeStatusReported> _lastNodeReports = new(StringComparer.Ordinal);
    private readonly List<string> _stops = [];

    // Reused every tick (the processes taking their turn, and each one's batch): a tick allocates no lists of its own.
    private readonly List<RouterProcess> _routerTurns = [];
    private readonly List<AgentProcess> _agentTurns = [];
    private readonly List<RouterWork> _routerBatch = [];
    private readonly List<AgentWork> _agentBatch = [];
    private long _quarantined;
    private long _checkpointerRestartAt = -1;
    private int? _checkpointerCrashAfterShards;
    private int _checkpointerDownTicks;
    private int _processNumber;

    public Simulation(SimulationOptions options)
    {
        _options = options;
        _genesis = options.Manifest;
        _seed = options.Plan.Seed;
        var shards = _genesis.Shards.Select(s => s.Id).ToArray();
        var nodes = _genesis.Nodes.Select(n => n.Id).ToArray();
        _store = new MemoryStateStore(options.RecordTimeline, _clock);
        _bus = new SimulatedBus(options.Bus, SeededRandom.For(_seed, "bus"), shards, nodes);
        _busPort = new SimulatedBusPort(_bus, () => Tick);
        _chaos = SeededRandom.For(_seed, "chaos");
        _owner = new SimulatedOwner(
            _genesis, _store, _clock,
            shards.Select(s => $"router:{s}").Concat(nodes.Select(n => $"node:{n}")).Append(CheckpointerShell.ServiceName).ToArray(),
            republishEveryTicks: _genesis.Routers.HeartbeatIntervalTicks * 2);
        _invariants = new InvariantChecker(_seed, _genesis);
        _store.Appended += _invariants.OnAppended;
        _fleet = new SimulatedFleet(this);
        _engine = new DrillEngine(
            new DrillSetup($"sim-{_seed}", $"s{_seed}", "drill", DrillMode.Simulated, options.Plan, _genesis, _genesis, StallAfterTicks: long.MaxValue),
            _fleet, _store, _store, _clock);
        foreach (var shard in shards)
        {
            _routers[shard] = new ShardProcesses(shard);
        }

        foreach (var node in nodes)
        {
            _agents[node] = null;
        }
    }

    public long Tick { get; private set; }

    public InvariantChecker Invariants => _invariants;

    /// <summary>The simulated Redis (what it keeps, for growth figures; the run writes it through the shells' ports).</summary>
    public MemoryStateStore Store => _store;

    /// <summary>Each shard's router state as its durable journal says (what a restart would rebuild).</summary>
    public IReadOnlyDictionary<string, RouterState> DurableStates => _invariants.Durable;

    /// <summary>Each node's agent (null while it is down).</summary>
    public IEnumerable<NodeAgent> Agents => _agents.Values.Where(a => a is { Alive: true } && a.Shell.Started).Select(a => a!.Shell.Agent);

    public SimulationResult Run()
    {
        foreach (var shard in _routers.Values)
        {
            StartRouter(shard, supervised: true);
        }

        foreach (var node in _agents.Keys.ToArray())
        {
            StartAgent(node);
        }

        StartCheckpointer(supervised: true);
        Synchronously.Run(_engine.BeginAsync(CancellationToken.None));
        var faults = (_options.Faults ?? []).OrderBy(f => f.AtTick).ToArray();
        var nextFault = 0;
        var result = DrillTickResult.Running;
        for (Tick = 1; Tick <= _options.MaxTicks; Tick++)
        {
            _clock.Advance(_owner.Manifest.Routers.TickMs);
            _store.At(Tick);
            _invariants.Tick = Tick;
            while (nextFault < faults.Length && faults[nextFault].AtTick <= Tick)
            {
                Inject(faults[nextFault++]);
            }

            RestartWhatIsDue();
            result = Synchronously.Run(_engine.TickAsync(CancellationToken.None));
            Deliver();
            ProcessRouters();
            ProcessAgents();
            _owner.Tick(Tick, _effects);
            Flush();
            Checkpoint();
            if (Tick % _options.InvariantCheckEveryTicks == 0)
            {
                _invariants.Check(Agents, everyJob: Tick % _options.ReplayCheckEveryTicks == 0);
            }

            if (Tick % _options.ReplayCheckEveryTicks == 0)
            {
                CheckReplay();
            }

            if (result == DrillTickResult.Done && nextFault == faults.Length && IsSettled())
            {
                break;
            }
        }

        _invariants.Check(Agents, everyJob: true);
        CheckReplay();
        _store.At(long.MaxValue); // the run is over: whatever the faults, the store answers the final accounting
        var report = Synchronously.Run(_engine.FinishAsync(CancellationToken.None));
        return new SimulationResult(
            report.Summary, report.Nodes, report.OwnerLog, report.Checkpoints, report.Timeline, report.AcceptanceFailures,
            _invariants.Checks, _invariants.ReplayChecks, _stops, _quarantined, _bus.Sent, _bus.Dropped, _bus.Duplicated);
    }

    private bool IsSettled() =>
        _owner.Converged
        && !_store.IsDown
        && !_bus.IsDownAt(Tick)
        && _routers.Values.All(s => s.ActiveConsumer is not null)
        && _agents.Values.All(a => a is { Alive: true });

    // ---- processes ----

    private void StartRouter(ShardProcesses shard, bool supervised)
    {
        var process = NewProcess($"router-{shard.ShardId}");
        var shell = new RouterShell(
            shard.ShardId, _genesis, new RouterPorts(_store, _store, _store, _store, _busPort, process, _clock),
            new RouterShellOptions { SendAttemptTimeout = null, SendGiveUpAfter = null },
            new RouterObserver(this));
        var router = new RouterProcess(shell, process, supervised);
        shard.Processes.Add(router);
        try
        {
            _resumes.Add(Synchronously.Run(shell.StartAsync(CancellationToken.None)));
            if (supervised)
            {
                shard.RestartAtTick = -1;
            }
        }
        catch (StateStoreUnavailableException)
        {
            Stopped(shard, router); // the store is away: the supervisor tries again
        }
        catch (ProcessStoppedException e)
        {
            RecordStop(e);
            Stopped(shard, router); // it found it cannot restore, or lost its claim at once
        }
    }

    private void Stopped(ShardProcesses shard, RouterProcess router)
    {
        router.Alive = false;
        foreach (var taken in router.Inbox.Where(t => !t.Ack.Acknowledged))
        {
            _bus.Defer(taken.Delivery, Tick + 1); // unacknowledged: the broker delivers it again
        }

        router.Inbox.Clear();
        shard.Processes.RemoveAll(p => !p.Alive);
        if (router.Supervised && shard.Supervised is null)
        {
            shard.RestartAtTick = Math.Max(shard.RestartAtTick, Tick + _options.RestartDelayTicks);
        }
    }

    /// <summary>kill -9 of a shard's supervised router; the supervisor starts it again after <paramref name="downTicks"/>.</summary>
    internal void KillRouter(string shardId, int downTicks)
    {
        var shard = _routers[shardId];
        if (shard.Supervised is { } victim)
        {
            Stopped(shard, victim);
        }

        shard.RestartAtTick = Tick + Math.Max(1, downTicks);
    }

    private void StartAgent(string nodeId)
    {
        var process = NewProcess($"agent-{nodeId}");
        var shell = new AgentShell(
            nodeId, _genesis, new AgentPorts(_store, _busPort, process, _clock), _seed, new AgentShellOptions { SendAttemptTimeout = null });
        try
        {
            Synchronously.Run(shell.StartAsync(CancellationToken.None));
            _agents[nodeId] = new AgentProcess(shell, process);
            _agentRestartAt.Remove(nodeId);
        }
        catch (StateStoreUnavailableException)
        {
            _agents[nodeId] = null; // it reads the owner's parameters at start: it waits for the store
            _agentRestartAt[nodeId] = Tick + 1;
        }
    }

    private void KillAgent(string nodeId, long restartAt)
    {
        if (_agents[nodeId] is { } agent)
        {
            _lastNodeReports[nodeId] = agent.Shell.Agent.StatusReport(agent.Process.InstanceId, agent.Process.ProcessId);
            foreach (var taken in agent.Inbox.Where(t => !t.Ack.Acknowledged))
            {
                _bus.Defer(taken.Delivery, Tick + 1);
            }
        }

        _agents[nodeId] = null;
        _agentRestartAt[nodeId] = restartAt;
    }

    private void StartCheckpointer(bool supervised)
    {
        var process = NewProcess("checkpointer");
        var shell = new CheckpointerShell(_genesis, new CheckpointerPorts(_store, _store, _store, _busPort, process, _clock), new CheckpointerObserver(this));
        var checkpointer = new CheckpointerProcess(shell, process, supervised);
        _checkpointers.Add(checkpointer);
        try
        {
            Synchronously.Run(shell.StartAsync(CancellationToken.None));
            checkpointer.Started = true;
            if (supervised)
            {
                _checkpointerRestartAt = -1;
            }
        }
        catch (StateStoreUnavailableException)
        {
            StoppedCheckpointer(checkpointer, Tick + 1);
        }
    }

    private void StoppedCheckpointer(CheckpointerProcess checkpointer, long restartAt)
    {
        checkpointer.Alive = false;
        _checkpointers.Remove(checkpointer);
        if (checkpointer.Supervised && !_checkpointers.Any(c => c.Supervised))
        {
            _checkpointerRestartAt = Math.Max(_checkpointerRestartAt, restartAt);
        }
    }

    private void RestartWhatIsDue()
    {
        foreach (var shard in _routers.Values)
        {
            if (shard.RestartAtTick >= 0 && shard.RestartAtTick <= Tick && shard.Supervised is null)
            {
                shard.RestartAtTick = -1;
                StartRouter(shard, supervised: true);
            }
        }

        foreach (var (node, at) in _agentRestartAt.ToArray())
        {
            if (at <= Tick)
            {
                StartAgent(node);
            }
        }

        if (_checkpointerRestartAt >= 0 && _checkpointerRestartAt <= Tick && !_checkpointers.Any(c => c.Supervised))
        {
            _checkpointerRestartAt = -1;
            StartCheckpointer(supervised: true);
        }
    }

    private SimulatedProcess NewProcess(string name)
    {
        var number = ++_processNumber;
        return new SimulatedProcess($"{name}#{number}", number);
    }

    // ---- one tick ----

    private void Deliver()
    {
        while (_bus.TryTake(Tick, out var delivery))
        {
            switch (delivery.Recipient)
            {
                case Recipient.Router:
                    if (_routers[delivery.Id].ActiveConsumer is { } router)
                    {
                        router.Inbox.Add(new Taken(delivery, new SimulatedAck()));
                    }
                    else
                    {
                        _bus.Defer(delivery, Tick + 1); // the durable queue keeps it until a consumer subscribes
                    }

                    break;
                case Recipient.Node:
                    if (_agents[delivery.Id] is { } agent)
                    {
                        agent.Inbox.Add(new Taken(delivery, new SimulatedAck()));
                    }
                    else
                    {
                        _bus.Defer(delivery, Tick + 1);
                    }

                    break;
                case Recipient.Checkpointer:
                    if (delivery.Message is FabricParametersPublished && !_store.IsDown)
                    {
                        foreach (var checkpointer in _checkpointers.Where(c => c.Started))
                        {
                            Synchronously.Run(checkpointer.Shell.AdoptStoredParametersAsync(CancellationToken.None));
                        }
                    }

                    break;
                case Recipient.Observer:
                    Observe(delivery.Message);
                    break;
            }
        }
    }

    private void Observe(object message)
    {
        switch (message)
        {
            case JobsAccepted accepted:
                _engine.OnAccepted(accepted);
                Answered(accepted);
                break;
            case ParametersApplied applied:
                _owner.OnApplied(applied);
                break;
        }
    }

    private void ProcessRouters()
    {
        foreach (var shard in _routers.Values)
        {
            _routerTurns.Clear();
            foreach (var process in shard.Processes)
            {
                if (process.Alive && process.Shell.Started)
                {
                    _routerTurns.Add(process);
                }
            }

            foreach (var router in _routerTurns)
            {
                _routerBatch.Clear();
                foreach (var taken in router.Inbox)
                {
                    _routerBatch.Add(RouterWork.FromMessage(taken.Delivery.Message, taken.Ack));
                }

                _routerBatch.Add(RouterWork.Tick.Once);
                try
                {
                    Synchronously.Run(router.Shell.ProcessAsync(_routerBatch, CancellationToken.None));
                    _quarantined += Rejected(router.Inbox);
                    router.Inbox.Clear();
                }
                catch (ProcessStoppedException e)
                {
                    RecordStop(e);
                    Stopped(shard, router);
                }
            }
        }
    }

    private void ProcessAgents()
    {
        _agentTurns.Clear();
        foreach (var agent in _agents.Values)
        {
            if (agent is { Alive: true })
            {
                _agentTurns.Add(agent);
            }
        }

        foreach (var agent in _agentTurns)
        {
            _agentBatch.Clear();
            foreach (var taken in agent.Inbox)
            {
                _agentBatch.Add(AgentWork.FromMessage(taken.Delivery.Message, taken.Ack));
            }

            _agentBatch.Add(AgentWork.Tick.Once);
            Synchronously.Run(agent.Shell.ProcessAsync(_agentBatch, CancellationToken.None));
            _quarantined += Rejected(agent.Inbox);
            agent.Inbox.Clear();
        }
    }

    private static int Rejected(List<Taken> inbox)
    {
        var rejected = 0;
        foreach (var taken in inbox)
        {
            rejected += taken.Ack.Rejected is null ? 0 : 1;
        }

        return rejected;
    }

    private void Checkpoint()
    {
        foreach (var checkpointer in _checkpointers.Where(c => c.Alive && c.Started).ToArray())
        {
            var shell = checkpointer.Shell;
            if (Tick % shell.Manifest.Checkpoint.IntervalTicks != 0)
            {
                continue;
            }

            var shards = shell.Manifest.Shards.Select(s => s.Id).ToArray();
            var crashAfter = checkpointer.Supervised ? _checkpointerCrashAfterShards : null;
            try
            {
                for (var i = 0; i < shards.Length; i++)
                {
                    if (crashAfter == i)
                    {
                        _checkpointerCrashAfterShards = null;
                        StoppedCheckpointer(checkpointer, Tick + _checkpointerDownTicks);
                        break; // it dies in the middle of the round
                    }

                    Synchronously.Run(shell.RoundAsync(shards[i], CancellationToken.None));
                }
            }
            catch (ProcessStoppedException e)
            {
                RecordStop(e);
                StoppedCheckpointer(checkpointer, Tick + _options.RestartDelayTicks);
            }
        }
    }

    private void CheckReplay()
    {
        foreach (var shard in _routers.Values)
        {
            if (shard.ActiveConsumer is not { } router || _store.IsDown)
            {
                continue;
            }

            var epoch = Synchronously.Run(_store.CurrentEpochAsync(shard.ShardId, CancellationToken.None));
            if (router.Shell.Epoch == epoch)
            {
                _invariants.CheckReplay(shard.ShardId, router.Shell.Router.State);
            }
        }
    }

    private void RecordStop(ProcessStoppedException e) => _stops.Add($"tick {Tick}: {e.ProcessName}: {e.Reason}");

    private void Flush()
    {
        if (_effects.Count > 0)
        {
            _bus.Carry(_effects, Tick);
            _effects.Clear();
        }
    }

    /// <summary>The checkpointer's reports: a round may fail while the store is down, for no other reason.</summary>
    private sealed class CheckpointerObserver(Simulation simulation) : ICheckpointerObserver
    {
        public void FoldFailed(string shardId, Exception error) =>
            throw new SimulationInvariantException(simulation._seed, simulation.Tick, $"the checkpointer could not fold the journal of {shardId}: {error.Message}");

        public void ShardFailed(string shardId, Exception error)
        {
            if (error is not StateStoreUnavailableException)
            {
                throw new SimulationInvariantException(simulation._seed, simulation.Tick, $"the checkpoint of {shardId} failed: {error}");
            }
        }
    }

    /// <summary>A router process's reports: the simulator checks that no commit finds its outcomes already in the books.</summary>
    private sealed class RouterObserver(Simulation simulation) : IRouterShellObserver
    {
        public void OutcomesAlreadyInBooks(IReadOnlyList<JobOutcome> outcomes, int count) =>
            simulation._invariants.OnOutcomesAlreadyInBooks(outcomes.Where(o => simulation._store.Books.ContainsKey(o.JobId)).ToArray());
    }
}
