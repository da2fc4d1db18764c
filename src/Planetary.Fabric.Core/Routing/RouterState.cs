using Planetary.Contracts;
using Planetary.Fabric.Journal;
using Planetary.Fabric.Manifest;
using Planetary.Fabric.Parameters;

namespace Planetary.Fabric.Routing;

/// <summary>
/// Everything a shard router knows, changed only by <see cref="Apply"/> of journal entries. Replaying the same
/// entries over the same snapshot yields the same state; that is what makes a killed router safe to restart.
/// </summary>
public sealed class RouterState
{
    public RouterState(string shardId, FabricManifest manifest, long parameterVersion = 0)
    {
        if (manifest.FindShard(shardId) is null)
        {
            throw new ArgumentException($"Shard '{shardId}' is not in the manifest.", nameof(shardId));
        }

        ShardId = shardId;
        Manifest = manifest;
        ParameterVersion = parameterVersion;
        Capabilities = new CapabilityIndex(manifest.Capabilities);
        SyncDeclaredNodes();
        SyncAllies();
    }

    public string ShardId { get; }

    public FabricManifest Manifest { get; private set; }

    public long ParameterVersion { get; private set; }

    public CapabilityIndex Capabilities { get; }

    public ShardSpec Shard => Manifest.FindShard(ShardId)!;

    public RouterSettings Settings => Manifest.Routers;

    /// <summary>The tick of the last entry applied.</summary>
    public long Tick { get; private set; }

    public Dictionary<string, RouterJob> Jobs { get; } = new(StringComparer.Ordinal);

    public JobLanes Queue { get; } = new();

    public SortedDictionary<string, NodeView> Nodes { get; } = new(StringComparer.Ordinal);

    /// <summary>What the router last heard of its allies' loads: observations, not journaled (see <see cref="Journal.JournalEntry"/>).</summary>
    public SortedDictionary<string, AllyView> Allies { get; } = new(StringComparer.Ordinal);

    public SortedDictionary<string, OutgoingTransfer> Transfers { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, Tombstone> Tombstones { get; } = new(StringComparer.Ordinal);

    /// <summary>Tombstones in the order they were made (ticks never decrease), for expiry.</summary>
    public Queue<(long Tick, string JobId)> TombstoneOrder { get; } = new();

    /// <summary>Incoming transfers this router refused jobs of, by transfer id, so a redelivery gets the same answer.</summary>
    public Dictionary<string, IReadOnlyList<JobRejection>> Refusals { get; } = new(StringComparer.Ordinal);

    /// <summary>Refusals in the order they were made, for expiry with the tombstones.</summary>
    public Queue<(long Tick, string TransferId)> RefusalOrder { get; } = new();

    public RouterCounters Counters { get; private set; } = new();

    public long HeadSeq { get; private set; }

    public long TailSeq { get; private set; }

    public long NextTransferNumber { get; private set; } = 1;

    public long LastSpillTick { get; private set; } = long.MinValue / 2;

    public bool Paused => Manifest.Fabric.Paused || Shard.Paused;

    public int RunningCount => Nodes.Values.Sum(n => n.Running.Count);

    public int InTransferCount => Transfers.Values.Sum(t => t.JobIds.Count);

    public bool Knows(string jobId) => Jobs.ContainsKey(jobId) || Tombstones.ContainsKey(jobId);

    /// <summary>
    /// Whether a transferred job is one this router already took (a redelivered transfer), rather than a job that
    /// moved on from here and now comes back with more hops.
    /// </summary>
    public bool AlreadyTook(string jobId, int incomingHops) =>
        Jobs.ContainsKey(jobId)
        || (Tombstones.TryGetValue(jobId, out var stone) && (stone.Kind != TombstoneKind.MovedToAlly || incomingHops <= stone.Hops));

    /// <summary>Folds one entry into the state. Throws <see cref="InvariantViolationException"/> if the entry does not fit.</summary>
    public void Apply(JournalEntry entry)
    {
        if (entry.Tick < Tick)
        {
            throw new InvariantViolationException($"{ShardId}: entry at tick {entry.Tick} after tick {Tick}");
        }

        Tick = entry.Tick;
        switch (entry)
        {
            case JobAccepted e:
                ApplyAccepted(e);
                break;
            case JobAssigned e:
                ApplyAssigned(e);
                break;
            case AttemptFailed e:
                ApplyAttemptFailed(e);
                break;
            case JobCompleted e:
                Finish(e.JobId, TombstoneKind.Completed, e.Tick);
                Counters.Completed++;
                break;
            case JobFailed e:
                Finish(e.JobId, TombstoneKind.Failed, e.Tick);
                Counters.Failed++;
                break;
            case JobCancelled e:
                Finish(e.JobId, TombstoneKind.Cancelled, e.Tick);
                Counters.Cancelled++;
                break;
            case JobsSentToShard e:
                ApplySent(e);
                break;
            case TransferResent e:
                var resent = Transfers[e.TransferId];
                resent.LastSentTick = e.Tick;
                resent.Sends++;
                break;
            case TransferSettled e:
                ApplySettled(e);
                break;
            case TransferRefused e:
                Refusals[e.TransferId] = Refusals.TryGetValue(e.TransferId, out var earlier) ? [.. earlier, .. e.Jobs] : e.Jobs.ToArray();
                RefusalOrder.Enqueue((e.Tick, e.TransferId));
                break;
            case NodeRegistered e:
                var registered = NodeOf(e.NodeId, create: true);
                registered.Mask = Capabilities.MaskOf(e.Capabilities);
                registered.Slots = e.Slots;
                registered.Online = true;
                registered.Registered = true;
                registered.LastSeenTick = e.Tick;
                break;
            case NodeHeartbeatReceived e:
                var seen = NodeOf(e.NodeId, create: false);
                seen.Online = true;
                seen.LastSeenTick = e.Tick;
                break;
            case NodeMarkedOffline e:
                var silent = NodeOf(e.NodeId, create: false);
                if (silent.Running.Count > 0)
                {
                    throw new InvariantViolationException($"{ShardId}: node {e.NodeId} marked offline with {silent.Running.Count} jobs still assigned");
                }

                silent.Online = false;
                break;
            case ParametersAdopted e:
                ApplyParameters(e);
                break;
            case TombstonesExpired e:
                while (TombstoneOrder.Count > 0 && TombstoneOrder.Peek().Tick <= e.UpToTick)
                {
                    var (tick, id) = TombstoneOrder.Dequeue();
                    if (Tombstones.TryGetValue(id, out var stone) && stone.Tick == tick)
                    {
                        Tombstones.Remove(id);
                    }
                }

                while (RefusalOrder.Count > 0 && RefusalOrder.Peek().Tick <= e.UpToTick)
                {
                    Refusals.Remove(RefusalOrder.Dequeue().TransferId);
                }

                break;
            case RouterRecovered e:
                foreach (var node in Nodes.Values)
                {
                    node.LastSeenTick = e.Tick;
                }

                foreach (var job in Jobs.Values)
                {
                    if (job.Status == RouterJobStatus.Running)
                    {
                        job.AssignedTick = e.Tick;
                    }
                }

                foreach (var id in Allies.Keys.ToArray())
                {
                    Allies[id] = new AllyView { ShardId = id }; // forget what allies reported: wait for fresh reports
                }

                Counters.Recoveries++;
                break;
            default:
                throw new InvariantViolationException($"unknown journal entry {entry.GetType().Name}");
        }
    }

    private void ApplyAccepted(JobAccepted e)
    {
        if (Jobs.ContainsKey(e.JobId) || (e.FromShard is null && Tombstones.ContainsKey(e.JobId)))
        {
            throw new InvariantViolationException($"{ShardId}: job {e.JobId} accepted twice");
        }

        Tombstones.Remove(e.JobId); // a job that moved on and came back is live here again

        var template = Manifest.FindTemplate(e.Template)
            ?? throw new InvariantViolationException($"{ShardId}: job {e.JobId} has unknown template {e.Template}");
        var job = new RouterJob
        {
            Id = e.JobId,
            Template = e.Template,
            Mask = Capabilities.MaskOf(template.Capabilities),
            OriginShard = e.OriginShard,
            Hops = e.Hops,
            Attempts = e.AttemptsUsed,
            SubmittedAtMs = e.SubmittedAtMs,
            TraceParent = e.TraceParent,
            AcceptedTick = e.Tick,
            ArrivedByTransferTick = e.FromShard is null ? -1 : e.Tick,
            ArrivedFrom = e.FromShard,
            Status = RouterJobStatus.Queued,
            QueueSeq = ++TailSeq,
        };
        Jobs.Add(job.Id, job);
        Queue.Add(job);
        if (e.FromShard is null)
        {
            Counters.Submitted++;
        }
        else
        {
            Counters.ArrivedByTransfer++;
        }
    }

    private void ApplyAssigned(JobAssigned e)
    {
        var job = JobOf(e.JobId, RouterJobStatus.Queued);
        var node = NodeOf(e.NodeId, create: false);
        if (e.Attempt != job.Attempts + 1)
        {
            throw new InvariantViolationException($"{ShardId}: job {e.JobId} assigned attempt {e.Attempt} after {job.Attempts}");
        }

        Queue.Remove(job);
        job.Status = RouterJobStatus.Running;
        job.Attempts = e.Attempt;
        job.NodeId = e.NodeId;
        job.AssignedTick = e.Tick;
        node.Running.Add(job.Id);
        Counters.Assignments++;
    }

    private void ApplyAttemptFailed(AttemptFailed e)
    {
        var job = JobOf(e.JobId, RouterJobStatus.Running);
        if (job.Attempts != e.Attempt || job.NodeId != e.NodeId)
        {
            throw new InvariantViolationException($"{ShardId}: attempt {e.Attempt} of {e.JobId} on {e.NodeId} is not the running one");
        }

        ReleaseNode(job);
        job.LastFailure = e.Reason;
        job.Status = RouterJobStatus.Queued;
        job.QueueSeq = --HeadSeq; // retries go first
        Queue.Add(job);
        Counters.AttemptsFailed++;
    }

    private void ApplySent(JobsSentToShard e)
    {
        var transfer = new OutgoingTransfer
        {
            Id = e.TransferId,
            ToShard = e.ToShard,
            Reason = e.Reason,
            JobIds = e.JobIds.ToArray(),
            LastSentTick = e.Tick,
            Sends = 1,
        };
        if (!Transfers.TryAdd(transfer.Id, transfer))
        {
            throw new InvariantViolationException($"{ShardId}: transfer {e.TransferId} sent twice");
        }

        NextTransferNumber++;
        foreach (var id in e.JobIds)
        {
            var job = JobOf(id, RouterJobStatus.Queued);
            Queue.Remove(job);
            job.Status = RouterJobStatus.InTransfer;
            job.TransferId = e.TransferId;
        }

        if (e.Reason == TransferReason.Spillover)
        {
            LastSpillTick = e.Tick;
            Counters.Spillovers++;
        }
    }

    private void ApplySettled(TransferSettled e)
    {
        if (!Transfers.Remove(e.TransferId, out var transfer))
        {
            throw new InvariantViolationException($"{ShardId}: transfer {e.TransferId} settled but not pending");
        }

        var settled = e.Accepted.Concat(e.Rejected).ToHashSet(StringComparer.Ordinal);
        if (settled.Count != transfer.JobIds.Count || !transfer.JobIds.All(settled.Contains))
        {
            throw new InvariantViolationException($"{ShardId}: transfer {e.TransferId} settled with a different set of jobs");
        }

        foreach (var id in e.Accepted)
        {
            JobOf(id, RouterJobStatus.InTransfer);
            Finish(id, TombstoneKind.MovedToAlly, e.Tick);
        }

        foreach (var id in e.Rejected)
        {
            var job = JobOf(id, RouterJobStatus.InTransfer);
            job.Status = RouterJobStatus.Queued;
            job.TransferId = null;
            Queue.Add(job); // keeps its old place in the queue
        }

        if (transfer.Reason == TransferReason.Spillover)
        {
            Counters.SpilledOut += e.Accepted.Count;
        }
        else
        {
            Counters.ForwardedOut += e.Accepted.Count;
        }

        Counters.TransferRejections += e.Rejected.Count;
    }

    private void ApplyParameters(ParametersAdopted e)
    {
        if (e.Version <= ParameterVersion)
        {
            throw new InvariantViolationException($"{ShardId}: parameters version {e.Version} adopted after {ParameterVersion}");
        }

        Manifest = ParameterCatalog.ApplyAll(Manifest, e.Values);
        ParameterVersion = e.Version;
        SyncDeclaredNodes();
        SyncAllies();
    }

    /// <summary>
    /// Nodes the manifest puts in this shard are known (offline until they register), so a job they could run
    /// waits for them instead of being forwarded; their slots and capabilities follow owner changes.
    /// </summary>
    private void SyncDeclaredNodes()
    {
        foreach (var spec in Manifest.NodesOf(ShardId))
        {
            var node = NodeOf(spec.Id, create: true);
            node.Mask = Capabilities.MaskOf(spec.Capabilities);
            node.Slots = spec.Concurrency;
        }
    }

    private void SyncAllies()
    {
        foreach (var target in Shard.SpilloverTargets)
        {
            if (!Allies.ContainsKey(target))
            {
                AddAlly(target);
            }
        }
    }

    internal AllyView AddAlly(string shardId)
    {
        var ally = new AllyView { ShardId = shardId };
        Allies[shardId] = ally;
        return ally;
    }

    private void Finish(string jobId, TombstoneKind kind, long tick)
    {
        if (!Jobs.Remove(jobId, out var job))
        {
            throw new InvariantViolationException($"{ShardId}: job {jobId} finished but not held here");
        }

        switch (job.Status)
        {
            case RouterJobStatus.Queued:
                Queue.Remove(job);
                break;
            case RouterJobStatus.Running:
                ReleaseNode(job);
                break;
            case RouterJobStatus.InTransfer when kind != TombstoneKind.MovedToAlly:
                throw new InvariantViolationException($"{ShardId}: job {jobId} finished while in transfer");
        }

        Tombstones[jobId] = new Tombstone(kind, tick, job.Hops);
        TombstoneOrder.Enqueue((tick, jobId));
    }

    private void ReleaseNode(RouterJob job)
    {
        if (job.NodeId is null || !Nodes.TryGetValue(job.NodeId, out var node) || !node.Running.Remove(job.Id))
        {
            throw new InvariantViolationException($"{ShardId}: job {job.Id} is not running on {job.NodeId}");
        }

        job.NodeId = null;
    }

    private RouterJob JobOf(string id, RouterJobStatus expected)
    {
        if (!Jobs.TryGetValue(id, out var job) || job.Status != expected)
        {
            throw new InvariantViolationException($"{ShardId}: job {id} is not {expected.ToString().ToLowerInvariant()} (it is {(job is null ? "unknown" : job.Status.ToString())})");
        }

        return job;
    }

    private NodeView NodeOf(string id, bool create)
    {
        if (Nodes.TryGetValue(id, out var node))
        {
            return node;
        }

        if (!create)
        {
            throw new InvariantViolationException($"{ShardId}: unknown node {id}");
        }

        node = new NodeView { Id = id };
        Nodes[id] = node;
        return node;
    }

    // ---- snapshot support (see RouterSnapshot) ----

    internal void RestoreScalars(long tick, long headSeq, long tailSeq, long nextTransfer, long lastSpill, RouterCounters counters)
    {
        Tick = tick;
        HeadSeq = headSeq;
        TailSeq = tailSeq;
        NextTransferNumber = nextTransfer;
        LastSpillTick = lastSpill;
        Counters = counters;
    }
}
