using Planetary.Contracts;
using Planetary.Fabric.Effects;

namespace Planetary.Fabric.Simulation;

// The simulator's own faults (beyond the drill plan's), injected into the real shells.
public sealed partial class Simulation
{
    private readonly List<SubmitJobs> _sentBatches = [];
    private readonly HashSet<string> _answered = new(StringComparer.Ordinal);

    /// <summary>Batches the drill sent (a chaos client resubmits some of them).</summary>
    internal void Sent(SubmitJobs batch) => _sentBatches.Add(batch);

    /// <summary>A router answered a batch (only answered batches are resubmitted to another shard: the drill's jobs stay the drill's).</summary>
    internal void Answered(JobsAccepted answer) => _answered.Add(answer.SubmissionId);

    private void Inject(SimulatedFault fault)
    {
        switch (fault)
        {
            case SimulatedFault.AgentCrash crash:
                KillAgent(crash.NodeId, restartAt: Tick);
                StartAgent(crash.NodeId);
                Note($"node agent {crash.NodeId} killed and restarted with empty memory");
                break;
            case SimulatedFault.SecondRouter second:
                StartRouter(_routers[second.ShardId], supervised: false);
                Note($"a second router process started for {second.ShardId} while the first serves it");
                break;
            case SimulatedFault.CheckpointerCrash crash:
                _checkpointerCrashAfterShards = crash.AfterShards;
                _checkpointerDownTicks = Math.Max(1, crash.DownTicks);
                Note($"the checkpointer will die in its next round after {crash.AfterShards} shards");
                break;
            case SimulatedFault.SecondCheckpointer:
                StartCheckpointer(supervised: false);
                Note("a second checkpointer started while the first runs");
                break;
            case SimulatedFault.StateStoreRestart restart when restart.DuringCommit:
                _store.CrashAtNextAppend(Tick + restart.DownTicks, restart.CommitApplied);
                Note($"the state store dies during the next commit (applied: {restart.CommitApplied}) for {restart.DownTicks} ticks");
                break;
            case SimulatedFault.StateStoreRestart restart:
                _store.Crash(Tick + restart.DownTicks);
                Note($"the state store killed for {restart.DownTicks} ticks");
                break;
            case SimulatedFault.BrokerRestart restart:
                _bus.Outage(Tick, Tick + restart.DownTicks, restart.DuplicateRate);
                Note($"the broker killed for {restart.DownTicks} ticks");
                break;
            case SimulatedFault.FleetRestart restart:
                foreach (var shard in _routers.Keys)
                {
                    KillRouter(shard, restart.DownTicks);
                    foreach (var other in _routers[shard].Processes.ToArray())
                    {
                        Stopped(_routers[shard], other);
                    }
                }

                foreach (var node in _agents.Keys.ToArray())
                {
                    KillAgent(node, Tick + restart.DownTicks);
                }

                foreach (var checkpointer in _checkpointers.ToArray())
                {
                    StoppedCheckpointer(checkpointer, Tick + restart.DownTicks);
                }

                Note($"the whole fleet killed, back in {restart.DownTicks} ticks");
                break;
            case SimulatedFault.ClientResubmit resubmit when ResubmitCandidates(resubmit) is { Length: > 0 } candidates:
                var batch = candidates[_chaos.NextInt(candidates.Length)];
                var shards = _routers.Keys.ToArray();
                var to = resubmit.ToAnotherShard ? shards[(Array.IndexOf(shards, batch.ShardId) + 1 + _chaos.NextInt(shards.Length - 1)) % shards.Length] : batch.ShardId;
                _bus.Carry([new Send(Address.Router(to), batch with { SubmissionId = $"{batch.SubmissionId}-again{Tick}", ShardId = to })], Tick);
                Note($"a client resubmitted {batch.Jobs.Count} jobs of {batch.SubmissionId} to {to}");
                break;
            case SimulatedFault.PoisonMessages:
                var target = _routers.Keys.First();
                var agentId = _agents.Keys.First();
                _bus.Carry(
                [
                    new Send(Address.Router(target), new SubmitJobs($"poison-{Tick}", target, [new JobSubmission(null!, "governance-review", 0)])),
                    new Send(Address.Router(target), new ReportJobResults(target, agentId, null!)),
                    new Send(Address.Node(agentId), new AssignJobs(target, agentId, [null!])),
                ], Tick);
                Note($"malformed messages published to router {target} and agent {agentId}");
                break;
            case SimulatedFault.ClientCancel when _sentBatches.Count > 0:
                var from = _sentBatches[_chaos.NextInt(_sentBatches.Count)];
                var job = from.Jobs[_chaos.NextInt(from.Jobs.Count)];
                _bus.Carry([new Send(Address.Router(from.ShardId), new CancelJob(from.ShardId, job.JobId, "chaos"))], Tick);
                Note($"the owner cancelled {job.JobId} at {from.ShardId}");
                break;
            case SimulatedFault.ClientResubmit or SimulatedFault.ClientCancel:
                break; // nothing submitted yet
        }
    }

    private SubmitJobs[] ResubmitCandidates(SimulatedFault.ClientResubmit resubmit) =>
        _sentBatches.Where(b => !resubmit.ToAnotherShard || _answered.Contains(b.SubmissionId)).ToArray();

    private void Note(string text) => _engine.RecordFault($"tick {Tick}: {text}");
}

// What the drill engine reads and does through the simulated fleet.
public sealed partial class Simulation
{
    internal IReadOnlyDictionary<string, JobOutcome> Books => _store.Books;

    internal void TakeFinishedSince(List<string> into) => _store.TakeFinishedSince(into);

    internal IReadOnlyList<RouterResumed> Resumes => _resumes;

    internal IReadOnlyList<Reporting.CheckpointRecord> CheckpointRecords => _store.Checkpoints;

    internal IReadOnlyList<Reporting.OwnerLogEntry> OwnerLog => _owner.Log;

    internal IReadOnlyList<Reporting.TimelineEvent> Timeline => _store.Timeline;

    internal void Send(Effect effect) => _bus.Carry([effect], Tick);

    /// <summary>The queue depth a shard's load report would show: its serving router's, or its durable state's while it is down.</summary>
    internal int QueueDepth(string shardId) =>
        (_routers[shardId].ActiveConsumer?.Shell.Router.State ?? _invariants.Durable[shardId]).Queue.Count;

    internal IReadOnlyDictionary<string, NodeStatusReported> NodeReports()
    {
        var reports = new Dictionary<string, NodeStatusReported>(_lastNodeReports, StringComparer.Ordinal);
        foreach (var (node, agent) in _agents)
        {
            if (agent is not null)
            {
                reports[node] = agent.Shell.Agent.StatusReport(agent.Process.InstanceId, agent.Process.ProcessId);
            }
        }

        return reports;
    }

    internal Runtime.Drills.OwnerChangeOutcome ChangeParameter(Drills.OwnerChange change, string actor)
    {
        var result = _owner.Change(change.Path, change.Value, actor, Tick, _effects);
        Flush();
        return new Runtime.Drills.OwnerChangeOutcome(
            result.Succeeded, result.Before, result.After, _owner.Version, _clock.GetUtcNow().ToUnixTimeMilliseconds(), result.Problem, Unavailable: _store.IsDown);
    }
}
