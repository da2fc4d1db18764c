using Planetary.Contracts;
using Planetary.Fabric.Effects;
using Planetary.Fabric.Journal;

namespace Planetary.Fabric.Routing;

// Jobs entering, finishing and being cancelled.
public sealed partial class ShardRouter
{
    /// <summary>
    /// Takes submitted jobs. A job id means one job: an id this shard holds or remembers, or one the fabric knows
    /// (<paramref name="known"/>: already accepted by this shard, or finished), is answered as known and runs nothing
    /// again; an id already submitted to another shard is refused. A refusal is recorded (it shows on the job's timeline).
    /// </summary>
    private void OnSubmit(RouterStep step, SubmitJobs m, IReadOnlyDictionary<string, KnownJob>? known, long tick)
    {
        var accepted = new List<string>(m.Jobs.Count);
        var wasKnown = new List<string>();
        var rejected = new List<JobRejection>();
        foreach (var job in m.Jobs)
        {
            KnownJob? elsewhere = null;
            if (State.Knows(job.JobId))
            {
                accepted.Add(job.JobId); // a redelivery: already ours, or already finished here
                wasKnown.Add(job.JobId);
            }
            else if (known?.TryGetValue(job.JobId, out elsewhere) == true && elsewhere!.ShardId != ShardId)
            {
                rejected.Add(new JobRejection(job.JobId, $"job id '{job.JobId}' already names a job submitted to shard {elsewhere.ShardId}", RefusalKind.IdTaken, job.Template));
            }
            else if (elsewhere is not null)
            {
                accepted.Add(job.JobId); // submitted here before: it finished, or moved on to an ally; it runs nothing again
                wasKnown.Add(job.JobId);
            }
            else if (State.Manifest.FindTemplate(job.Template) is null)
            {
                rejected.Add(new JobRejection(job.JobId, $"unknown job template '{job.Template}'", RefusalKind.UnknownTemplate, job.Template));
            }
            else if (State.Queue.Count >= State.Shard.MaxQueueDepth)
            {
                rejected.Add(new JobRejection(job.JobId, $"shard {ShardId} queue is full (maxQueueDepth {State.Shard.MaxQueueDepth}); try again later", RefusalKind.QueueFull, job.Template));
            }
            else
            {
                Record(step, new JobAccepted(tick, job.JobId, job.Template, ShardId, 0, 0, job.SubmittedAtMs, null, job.TraceParent));
                accepted.Add(job.JobId);
            }
        }

        step.Refusals.AddRange(rejected);
        step.Effects.Add(new Publish(new JobsAccepted(m.SubmissionId, ShardId, accepted, rejected, wasKnown)));
    }

    private void OnResults(RouterStep step, ReportJobResults m, long tick)
    {
        foreach (var result in m.Results)
        {
            if (!State.Jobs.TryGetValue(result.JobId, out var job))
            {
                continue; // finished or moved already: a duplicate or a late result
            }

            var isCurrentAttempt = job.Status == RouterJobStatus.Running && job.NodeId == m.NodeId && job.Attempts == result.Attempt;
            if (result.Succeeded && (isCurrentAttempt || (job.Status == RouterJobStatus.Queued && result.Attempt <= job.Attempts)))
            {
                // A queued job whose earlier attempt turns out to have succeeded is done: no need to run it again.
                step.Outcomes.Add(OutcomeOf(job, JobOutcomeKind.Completed, m.NodeId, null, tick));
                Record(step, new JobCompleted(tick, job.Id, result.Attempt, m.NodeId));
            }
            else if (!result.Succeeded && isCurrentAttempt)
            {
                FailAttempt(step, job, AttemptFailure.NodeReported, result.FailureReason ?? $"node {m.NodeId} reported failure", tick);
            }
        }

        // Acknowledge everything, including duplicates, so the node stops resending.
        step.Effects.Add(new Send(
            Address.Node(m.NodeId),
            new AcknowledgeJobResults(ShardId, m.NodeId, m.Results.Select(r => new JobAttemptRef(r.JobId, r.Attempt)).ToArray())));
    }

    /// <summary>
    /// Cancels the job wherever it is: held here, it ends now (a running attempt is stopped on its node and charged
    /// nothing); moving to an ally, the cancellation waits for the transfer to settle (<see cref="CancelMovedJobs"/>);
    /// gone to an ally already, the cancellation follows it there. A job that finished first is left as it ended.
    /// </summary>
    private void OnCancel(RouterStep step, CancelJob m, long tick)
    {
        if (State.Jobs.TryGetValue(m.JobId, out var job))
        {
            if (job.Status != RouterJobStatus.InTransfer)
            {
                CancelHeld(step, job, m.Actor, tick);
            }
            else if (job.CancelledWhileMovingBy is null)
            {
                Record(step, new CancelDeferred(tick, job.Id, m.Actor));
            }
        }
        else if (State.Tombstones.TryGetValue(m.JobId, out var stone) && stone is { Kind: TombstoneKind.MovedToAlly, MovedTo: { } ally })
        {
            step.Effects.Add(new Send(Address.Router(ally), m with { ShardId = ally }));
        }
    }

    /// <summary>
    /// Puts back in the queue each job whose outcome in the books (<paramref name="failed"/>) says it failed on this shard,
    /// unless it is held here again already (requeued twice). Its attempts go on numbering from where they were, but none
    /// of them is charged: it gets a full allowance of <c>routers.maxAttempts</c>. Anything else is left as it is.
    /// </summary>
    private void OnRequeue(RouterStep step, RequeueJobs m, IReadOnlyDictionary<string, JobOutcome>? failed, long tick)
    {
        foreach (var id in m.JobIds.Distinct(StringComparer.Ordinal))
        {
            if (!State.Jobs.ContainsKey(id)
                && failed?.TryGetValue(id, out var outcome) == true
                && outcome is { Kind: JobOutcomeKind.Failed } && outcome.ShardId == ShardId
                && State.Manifest.FindTemplate(outcome.Template) is not null)
            {
                Record(step, new JobRequeued(tick, id, outcome.Template, outcome.OriginShard, outcome.Hops, outcome.Attempts, outcome.SubmittedAtMs, m.Actor, outcome.TraceParent));
            }
        }
    }

    private void CancelHeld(RouterStep step, RouterJob job, string actor, long tick)
    {
        var reason = $"cancelled by {actor}";
        var running = job.Status == RouterJobStatus.Running ? (Node: job.NodeId!, Attempt: job.Attempts) : default;
        step.Outcomes.Add(OutcomeOf(job, JobOutcomeKind.Cancelled, job.NodeId, reason, tick));
        Record(step, new JobCancelled(tick, job.Id, reason));
        if (running.Node is not null)
        {
            // The node stops the attempt and frees the slot this router just freed in its own view.
            step.Effects.Add(new Send(Address.Node(running.Node), new StopAttempts(ShardId, running.Node, [new JobAttemptRef(job.Id, running.Attempt)], reason)));
        }
    }

    /// <summary>After a transfer settled: a job cancelled while moving is cancelled where it went, or here if it came back.</summary>
    private void CancelMovedJobs(RouterStep step, string toShard, IReadOnlyList<(string JobId, string Actor)> cancelled, long tick)
    {
        foreach (var (jobId, actor) in cancelled)
        {
            if (State.Jobs.TryGetValue(jobId, out var returned))
            {
                CancelHeld(step, returned, actor, tick);
            }
            else
            {
                step.Effects.Add(new Send(Address.Router(toShard), new CancelJob(toShard, jobId, actor)));
            }
        }
    }

    private void OnParameters(RouterStep step, FabricParametersPublished m, long tick)
    {
        Adopt(step, m.Version, m.Values, tick);
        step.Effects.Add(new Publish(new ParametersApplied(ServiceName, State.ParameterVersion)));
    }

    /// <summary>Adopts the owner's parameters read from the store when the process starts (if newer than the state's).</summary>
    public RouterStep AdoptStoredParameters(long version, IReadOnlyDictionary<string, string> values, long tick)
    {
        var step = Begin(tick);
        Adopt(step, version, values, tick);
        return Finish(step);
    }

    private void Adopt(RouterStep step, long version, IReadOnlyDictionary<string, string> values, long tick)
    {
        if (version > State.ParameterVersion)
        {
            Record(step, new ParametersAdopted(tick, version, values));
            FollowDrains(step, tick); // a drain (or resume) takes effect with the parameters that ask for it
        }
    }

    private void ForgetOldTombstones(RouterStep step, long tick)
    {
        var horizon = tick - State.Settings.DedupeRetentionTicks;
        if (State.OldestTombstoneTick <= horizon || State.OldestRefusalTick <= horizon)
        {
            Record(step, new TombstonesExpired(tick, horizon));
        }
    }
}
