using Planetary.Contracts;
using Planetary.Fabric.Effects;
using Planetary.Fabric.Journal;

namespace Planetary.Fabric.Routing;

// Jobs entering, finishing and being cancelled.
public sealed partial class ShardRouter
{
    private void OnSubmit(RouterStep step, SubmitJobs m, long tick)
    {
        var accepted = new List<string>(m.Jobs.Count);
        var rejected = new List<JobRejection>();
        foreach (var job in m.Jobs)
        {
            if (State.Knows(job.JobId))
            {
                accepted.Add(job.JobId); // a redelivery: already ours, or already finished here
            }
            else if (State.Manifest.FindTemplate(job.Template) is null)
            {
                rejected.Add(new JobRejection(job.JobId, $"unknown job template '{job.Template}'"));
            }
            else if (State.Queue.Count >= State.Shard.MaxQueueDepth)
            {
                rejected.Add(new JobRejection(job.JobId, $"shard {ShardId} queue is full (maxQueueDepth {State.Shard.MaxQueueDepth})"));
            }
            else
            {
                Record(step, new JobAccepted(tick, job.JobId, job.Template, ShardId, 0, 0, job.SubmittedAtMs, null, job.TraceParent));
                accepted.Add(job.JobId);
            }
        }

        step.Effects.Add(new Publish(new JobsAccepted(m.SubmissionId, ShardId, accepted, rejected)));
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

    private void OnCancel(RouterStep step, CancelJob m, long tick)
    {
        if (State.Jobs.TryGetValue(m.JobId, out var job) && job.Status != RouterJobStatus.InTransfer)
        {
            var reason = $"cancelled by {m.Actor}";
            step.Outcomes.Add(OutcomeOf(job, JobOutcomeKind.Cancelled, job.NodeId, reason, tick));
            Record(step, new JobCancelled(tick, job.Id, reason));
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
