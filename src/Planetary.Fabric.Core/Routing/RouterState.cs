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
    }

    public string ShardId { get; }

    public FabricManifest Manifest { get; private set; }

    public long ParameterVersion { get; private set; }

    public CapabilityIndex Capabilities { get; }

    public ShardSpec Shard => Manifest.FindShard(ShardId)!;

    public RouterSettings Settings => Manifest.Routers;

    /// <summary>The tick of the last entry applied.</summary>
    public long Tick { get; private set; }

    // The state's collections are changed only by Apply (and by snapshot restore); everyone else reads them.
    private readonly Dictionary<string, RouterJob> _jobs = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, NodeView> _nodes = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, OutgoingTransfer> _transfers = new(StringComparer.Ordinal);
    private readonly TombstoneBook _tombstones = new();
    private readonly Dictionary<string, IReadOnlyList<JobRejection>> _refusals = new(StringComparer.Ordinal);
    private readonly Queue<(long Tick, string TransferId)> _refusalOrder = new();

    public IReadOnlyDictionary<string, RouterJob> Jobs => _jobs;

    public JobLanes Queue { get; } = new();

    /// <summary>Nodes of this shard by id, in id order.</summary>
    public IReadOnlyDictionary<string, NodeView> Nodes => _nodes;

    /// <summary>Nodes of this shard in id order.</summary>
    public IEnumerable<NodeView> NodesInOrder => _nodes.Values;

    /// <summary>Outgoing transfers not yet settled, in id order.</summary>
    public IReadOnlyDictionary<string, OutgoingTransfer> Transfers => _transfers;

    public IEnumerable<OutgoingTransfer> TransfersInOrder => _transfers.Values;

    /// <summary>Tombstones by job id, and in the order they were made (for expiry and snapshots).</summary>
    public TombstoneBook Tombstones => _tombstones;

    /// <summary>Incoming transfers this router refused jobs of, by transfer id, so a redelivery gets the same answer.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<JobRejection>> Refusals => _refusals;

    /// <summary>Refusals in the order they were made, for expiry with the tombstones.</summary>
    public IReadOnlyCollection<(long Tick, string TransferId)> RefusalOrder => _refusalOrder;

    /// <summary>The oldest tombstone's tick, or null.</summary>
    public long? OldestTombstoneTick => _tombstones.OldestTick;

    /// <summary>The oldest refusal's tick, or null.</summary>
    public long? OldestRefusalTick => _refusalOrder.Count > 0 ? _refusalOrder.Peek().Tick : null;

    public RouterCounters Counters { get; private set; } = new();

    public long HeadSeq { get; private set; }

    public long TailSeq { get; private set; }

    public long NextTransferNumber { get; private set; } = 1;

    public long LastSpillTick { get; private set; } = long.MinValue / 2;

    public bool Paused => Manifest.Fabric.Paused || Shard.Paused;

    public int RunningCount => _nodes.Values.Sum(n => n.Running.Count);

    public int InTransferCount => _transfers.Values.Sum(t => t.JobIds.Count);

    public bool Knows(string jobId) => _jobs.ContainsKey(jobId) || _tombstones.ContainsKey(jobId);

    /// <summary>
    /// Whether a transferred job is one this router already took (a redelivered transfer), rather than a job that
    /// moved on from here and now comes back with more hops.
    /// </summary>
    public bool AlreadyTook(string jobId, int incomingHops) =>
        _jobs.ContainsKey(jobId)
        || (_tombstones.TryGetValue(jobId, out var stone) && (stone.Kind != TombstoneKind.MovedToAlly || incomingHops <= stone.Hops));

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
            case JobRequeued e:
                ApplyRequeued(e);
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
            case CancelDeferred e:
                JobOf(e.JobId, RouterJobStatus.InTransfer).CancelledWhileMovingBy = e.Actor;
                break;
            case JobsSentToShard e:
                ApplySent(e);
                break;
            case TransferResent e:
                var resent = _transfers[e.TransferId];
                resent.LastSentTick = e.Tick;
                resent.Sends++;
                break;
            case TransferSettled e:
                ApplySettled(e);
                break;
            case TransferRefused e:
                _refusals[e.TransferId] = _refusals.TryGetValue(e.TransferId, out var earlier) ? [.. earlier, .. e.Jobs] : e.Jobs.ToArray();
                _refusalOrder.Enqueue((e.Tick, e.TransferId));
                break;
            case NodeRegistered e:
                var registered = NodeOf(e.NodeId, create: true);
                registered.Mask = Capabilities.MaskOf(e.Capabilities);
                registered.Slots = e.Slots;
                registered.Online = true;
                registered.Registered = true;
                break;
            case NodeHeartbeatReceived e:
                NodeOf(e.NodeId, create: false).Online = true;
                break;
            case NodeMarkedOffline e:
                var silent = NodeOf(e.NodeId, create: false);
                if (silent.Running.Count > 0)
                {
                    throw new InvariantViolationException($"{ShardId}: node {e.NodeId} marked offline with {silent.Running.Count} jobs still assigned");
                }

                silent.Online = false;
                break;
            case NodeDrainStarted e:
                var draining = NodeOf(e.NodeId, create: false);
                draining.Drain = NodeDrainState.Draining;
                draining.DrainDeadlineTick = e.DeadlineTick;
                break;
            case AttemptWithdrawn e:
                ApplyWithdrawn(e);
                break;
            case NodeDrained e:
                var drained = NodeOf(e.NodeId, create: false);
                if (drained.Drain != NodeDrainState.Draining || drained.Running.Count > 0)
                {
                    throw new InvariantViolationException($"{ShardId}: node {e.NodeId} drained while {(drained.Drain != NodeDrainState.Draining ? "not draining" : $"{drained.Running.Count} jobs still run on it")}");
                }

                drained.Drain = NodeDrainState.Drained;
                break;
            case NodeResumed e:
                var resumed = NodeOf(e.NodeId, create: false);
                resumed.Drain = NodeDrainState.None;
                resumed.DrainDeadlineTick = 0;
                break;
            case ParametersAdopted e:
                ApplyParameters(e);
                break;
            case TombstonesExpired e:
                _tombstones.ExpireUpTo(e.UpToTick);

                while (_refusalOrder.Count > 0 && _refusalOrder.Peek().Tick <= e.UpToTick)
                {
                    _refusals.Remove(_refusalOrder.Dequeue().TransferId);
                }

                break;
            case RouterRecovered e:
                // Every running attempt gets a fresh grace period: its node has until then to confirm it.
                foreach (var job in _jobs.Values)
                {
                    if (job.Status == RouterJobStatus.Running)
                    {
                        job.AssignedTick = e.Tick;
                    }
                }

                Counters.Recoveries++;
                break;
            default:
                throw new InvariantViolationException($"unknown journal entry {entry.GetType().Name}");
        }
    }

    private void ApplyAccepted(JobAccepted e)
    {
        if (_jobs.ContainsKey(e.JobId) || (e.FromShard is null && _tombstones.ContainsKey(e.JobId)))
        {
            throw new InvariantViolationException($"{ShardId}: job {e.JobId} accepted twice");
        }

        _tombstones.Remove(e.JobId); // a job that moved on and came back is live here again
        Enqueue(e.JobId, e.Template, e.OriginShard, e.Hops, e.AttemptsUsed, e.AttemptsWithdrawn, e.SubmittedAtMs, e.TraceParent, e.Tick, e.FromShard);
        if (e.FromShard is null)
        {
            Counters.Submitted++;
        }
        else
        {
            Counters.ArrivedByTransfer++;
        }
    }

    private void ApplyRequeued(JobRequeued e)
    {
        if (_jobs.ContainsKey(e.JobId))
        {
            throw new InvariantViolationException($"{ShardId}: job {e.JobId} requeued while it is still held here");
        }

        _tombstones.Remove(e.JobId);
        Enqueue(e.JobId, e.Template, e.OriginShard, e.Hops, e.AttemptsUsed, e.AttemptsUsed, e.SubmittedAtMs, e.TraceParent, e.Tick, fromShard: null);
        Counters.Requeued++;
    }

    /// <summary>A job joins the tail of the queue.</summary>
    private void Enqueue(string jobId, string templateName, string originShard, int hops, int attempts, int attemptsWithdrawn, long submittedAtMs, string? traceParent, long tick, string? fromShard)
    {
        var template = Manifest.FindTemplate(templateName)
            ?? throw new InvariantViolationException($"{ShardId}: job {jobId} has unknown template {templateName}");
        var job = new RouterJob
        {
            Id = jobId,
            Template = templateName,
            Mask = Capabilities.MaskOf(template.Capabilities),
            OriginShard = originShard,
            Hops = hops,
            Attempts = attempts,
            AttemptsWithdrawn = attemptsWithdrawn,
            SubmittedAtMs = submittedAtMs,
            TraceParent = traceParent,
            AcceptedTick = tick,
            ArrivedByTransferTick = fromShard is null ? -1 : tick,
            ArrivedFrom = fromShard,
            Status = RouterJobStatus.Queued,
            QueueSeq = ++TailSeq,
        };
        _jobs.Add(job.Id, job);
        Queue.Add(job);
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
        node.RunningSet.Add(job.Id);
        Counters.Assignments++;
    }

    private void ApplyAttemptFailed(AttemptFailed e)
    {
        RequeueRunningAttempt(e.JobId, e.Attempt, e.NodeId, e.Reason);
        Counters.AttemptsFailed++;
    }

    private void ApplyWithdrawn(AttemptWithdrawn e)
    {
        RequeueRunningAttempt(e.JobId, e.Attempt, e.NodeId, e.Reason).AttemptsWithdrawn++;
        Counters.AttemptsWithdrawn++;
    }

    /// <summary>A running attempt ended without success (failed or withdrawn): the job goes back to the front of the queue.</summary>
    private RouterJob RequeueRunningAttempt(string jobId, int attempt, string nodeId, string reason)
    {
        var job = JobOf(jobId, RouterJobStatus.Running);
        if (job.Attempts != attempt || job.NodeId != nodeId)
        {
            throw new InvariantViolationException($"{ShardId}: attempt {attempt} of {jobId} on {nodeId} is not the running one");
        }

        ReleaseNode(job);
        job.LastFailure = reason;
        job.Status = RouterJobStatus.Queued;
        job.QueueSeq = --HeadSeq; // retries go first
        Queue.Add(job);
        return job;
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
        if (!_transfers.TryAdd(transfer.Id, transfer))
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
        if (!_transfers.Remove(e.TransferId, out var transfer))
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
            Finish(id, TombstoneKind.MovedToAlly, e.Tick, transfer.ToShard);
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

    private void Finish(string jobId, TombstoneKind kind, long tick, string? movedTo = null)
    {
        if (!_jobs.Remove(jobId, out var job))
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

        _tombstones.Set(jobId, new Tombstone(kind, tick, job.Hops, movedTo));
    }

    private void ReleaseNode(RouterJob job)
    {
        if (job.NodeId is null || !_nodes.TryGetValue(job.NodeId, out var node) || !node.RunningSet.Remove(job.Id))
        {
            throw new InvariantViolationException($"{ShardId}: job {job.Id} is not running on {job.NodeId}");
        }

        job.NodeId = null;
    }

    private RouterJob JobOf(string id, RouterJobStatus expected)
    {
        if (!_jobs.TryGetValue(id, out var job) || job.Status != expected)
        {
            throw new InvariantViolationException($"{ShardId}: job {id} is not {expected.ToString().ToLowerInvariant()} (it is {(job is null ? "unknown" : job.Status.ToString())})");
        }

        return job;
    }

    internal NodeView NodeOf(string id, bool create)
    {
        if (_nodes.TryGetValue(id, out var node))
        {
            return node;
        }

        if (!create)
        {
            throw new InvariantViolationException($"{ShardId}: unknown node {id}");
        }

        node = new NodeView { Id = id };
        _nodes[id] = node;
        return node;
    }

    // ---- snapshot support (see RouterSnapshot): the only writers besides Apply ----

    internal void RestoreJob(RouterJob job)
    {
        _jobs.Add(job.Id, job);
        if (job.Status == RouterJobStatus.Queued)
        {
            Queue.Add(job);
        }
    }

    internal void RestoreTransfer(OutgoingTransfer transfer) => _transfers[transfer.Id] = transfer;

    internal void RestoreTombstone(string jobId, Tombstone stone)
    {
        _tombstones.Set(jobId, stone);
    }

    internal void RestoreRefusal(string transferId, long tick, IReadOnlyList<JobRejection> jobs)
    {
        _refusals[transferId] = jobs;
        _refusalOrder.Enqueue((tick, transferId));
    }

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
