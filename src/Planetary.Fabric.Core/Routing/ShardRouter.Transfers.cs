using Planetary.Contracts;
using Planetary.Fabric.Effects;
using Planetary.Fabric.Journal;
using Planetary.Fabric.Manifest;

namespace Planetary.Fabric.Routing;

// Jobs moving between shards: the transfer handshake, forwarding of jobs this shard can never run, ally loads.
public sealed partial class ShardRouter
{
    /// <summary>
    /// Receives jobs from an ally. A shard takes spilled or forwarded work only if one of its online nodes can run
    /// it, it is not paused, and its queue has room; a job it already knows counts as accepted (redelivery).
    /// </summary>
    private void OnTransferIn(RouterStep step, TransferJobs m, long tick)
    {
        var accepted = new List<string>(m.Jobs.Count);
        var rejected = new List<JobRejection>();
        var refusedBefore = State.Refusals.GetValueOrDefault(m.TransferId);
        foreach (var job in m.Jobs)
        {
            var template = State.Manifest.FindTemplate(job.Template);
            var earlierRefusal = refusedBefore?.FirstOrDefault(r => r.JobId == job.JobId);
            if (earlierRefusal is not null)
            {
                rejected.Add(earlierRefusal); // a redelivery gets the answer the first delivery got
            }
            else if (State.AlreadyTook(job.JobId, job.Hops))
            {
                accepted.Add(job.JobId); // a redelivered transfer
            }
            else if (template is null)
            {
                rejected.Add(new JobRejection(job.JobId, $"unknown job template '{job.Template}'", RefusalKind.UnknownTemplate));
            }
            else if (State.Paused)
            {
                rejected.Add(new JobRejection(job.JobId, $"shard {ShardId} is paused", RefusalKind.Paused));
            }
            else if (State.Queue.Count >= State.Shard.MaxQueueDepth)
            {
                rejected.Add(new JobRejection(job.JobId, $"shard {ShardId} queue is full", RefusalKind.QueueFull));
            }
            else if (!CanRunHere(State.Capabilities.MaskOf(template.Capabilities), takingWorkOnly: true))
            {
                rejected.Add(new JobRejection(job.JobId, $"no node of {ShardId} that takes work can run {job.Template}", RefusalKind.NoNodeCanRun));
            }
            else
            {
                Record(step, new JobAccepted(tick, job.JobId, job.Template, job.OriginShard, job.Hops, job.AttemptsUsed, job.SubmittedAtMs, m.FromShard, job.TraceParent, job.AttemptsWithdrawn));
                accepted.Add(job.JobId);
            }
        }

        var newRefusals = rejected.Where(r => refusedBefore?.Any(b => b.JobId == r.JobId) != true).ToArray();
        if (newRefusals.Length > 0)
        {
            Record(step, new TransferRefused(tick, m.TransferId, newRefusals));
        }

        step.Effects.Add(new Send(Address.Router(m.FromShard), new SettleTransfer(m.TransferId, m.FromShard, ShardId, accepted, rejected)));
    }

    private void OnSettle(RouterStep step, SettleTransfer m, long tick)
    {
        if (m.FromShard != ShardId || !State.Transfers.TryGetValue(m.TransferId, out var transfer))
        {
            return; // settled already (a duplicate answer)
        }

        var accepted = transfer.JobIds.Where(id => m.Accepted.Contains(id)).ToArray();
        var rejected = transfer.JobIds.Where(id => !m.Accepted.Contains(id)).ToArray();
        var cancelled = transfer.JobIds
            .Select(id => (JobId: id, Actor: State.Jobs[id].CancelledWhileMovingBy))
            .Where(c => c.Actor is not null).Select(c => (c.JobId, c.Actor!)).ToArray();
        Record(step, new TransferSettled(tick, m.TransferId, accepted, rejected, m.Rejected.FirstOrDefault()?.Reason));
        CancelMovedJobs(step, transfer.ToShard, cancelled, tick);
        if (rejected.Length > 0 && Observations.Allies.TryGetValue(transfer.ToShard, out var ally))
        {
            ally.SentSinceReport = Math.Max(0, ally.SentSinceReport - rejected.Length);
            ally.Spilling = false; // it refused work: do not keep pushing
        }
    }

    private void ResendOverdueTransfers(RouterStep step, long tick)
    {
        foreach (var transfer in State.TransfersInOrder.ToArray())
        {
            if (tick - transfer.LastSentTick >= State.Settings.TransferTimeoutTicks)
            {
                Record(step, new TransferResent(tick, transfer.Id));
                step.Effects.Add(new Send(Address.Router(transfer.ToShard), TransferMessage(transfer.Id, transfer.ToShard, transfer.Reason, transfer.JobIds)));
            }
        }
    }

    private void OnAllyLoad(RouterStep step, ShardLoadReported m, long tick)
    {
        if (m.ShardId == ShardId || !State.Shard.SpilloverTargets.Contains(m.ShardId, StringComparer.Ordinal))
        {
            return; // our own report, or a shard we never send to
        }

        var ally = Observations.Ally(m.ShardId);
        ally.ObservedTick = tick;
        ally.ReportedQueued = m.Queued;
        ally.SentSinceReport = 0;
        ally.Accepting = m.AcceptingTransfers;
        ally.OnlineNodeMasks = m.OnlineNodeCapabilities.Select(State.Capabilities.MaskOf).ToArray();
        ally.KnownNodeMasks = m.KnownNodeCapabilities.Select(State.Capabilities.MaskOf).ToArray();
    }

    /// <summary>
    /// Jobs whose capabilities no node of this shard has (online or not) go to an ally with an online node that can
    /// run them; when every ally has reported and none has such a node at all, they fail as unroutable. Never looped:
    /// a job at its hop limit is failed, not moved.
    /// </summary>
    private void ForwardJobsThisShardCannotRun(RouterStep step, long tick)
    {
        List<(ulong Mask, SortedSet<RouterJob> Jobs)>? stranded = null;
        foreach (var lane in State.Queue.Lanes)
        {
            if (!CanRunHere(lane.Mask, takingWorkOnly: false))
            {
                (stranded ??= []).Add(lane);
            }
        }

        foreach (var (mask, jobs) in stranded ?? [])
        {
            var allies = State.Shard.SpilloverTargets.Select(Observations.Ally).ToArray();
            var target = allies
                .Where(a => IsFresh(a, tick) && a.Accepting && a.CanRunOnline(mask))
                .OrderBy(a => a.EstimatedQueued).ThenBy(a => a.ShardId, StringComparer.Ordinal)
                .FirstOrDefault();
            var nowhere = allies.All(a => IsFresh(a, tick) && !a.CanRunKnown(mask));
            var batch = jobs.Take(State.Settings.SpilloverBatch).ToArray();
            var movable = new List<RouterJob>();
            foreach (var job in batch)
            {
                if (nowhere || job.Hops >= State.Settings.HopLimit)
                {
                    var reason = nowhere
                        ? $"unroutable: no node in {ShardId} or its allies [{string.Join(", ", State.Shard.SpilloverTargets)}] has [{string.Join(", ", State.Capabilities.NamesOf(mask))}]"
                        : $"unroutable: no node in {ShardId} can run it and it reached the hop limit ({State.Settings.HopLimit})";
                    step.Outcomes.Add(OutcomeOf(job, JobOutcomeKind.Failed, null, reason, tick));
                    Record(step, new JobFailed(tick, job.Id, reason));
                }
                else if (target is not null)
                {
                    movable.Add(job);
                }
            }

            if (target is not null && movable.Count > 0)
            {
                SendJobs(step, target.ShardId, TransferReason.Forward, movable, tick);
            }
        }
    }

    internal void SendJobs(RouterStep step, string toShard, TransferReason reason, IReadOnlyList<RouterJob> jobs, long tick)
    {
        var transferId = $"{ShardId}-x{State.NextTransferNumber}";
        var ids = jobs.Select(j => j.Id).ToArray();
        Record(step, new JobsSentToShard(tick, transferId, toShard, reason, ids));
        if (Observations.Allies.TryGetValue(toShard, out var ally))
        {
            ally.SentSinceReport += ids.Length; // so the estimate does not lag until its next report
            ally.Spilling |= reason == TransferReason.Spillover;
        }
        step.Effects.Add(new Send(Address.Router(toShard), TransferMessage(transferId, toShard, reason, ids)));
    }

    private TransferJobs TransferMessage(string transferId, string toShard, TransferReason reason, IReadOnlyList<string> jobIds) =>
        new(transferId, ShardId, toShard, reason, jobIds.Select(id =>
        {
            var job = State.Jobs[id];
            return new TransferredJob(job.Id, job.Template, job.OriginShard, job.Hops + 1, job.Attempts, job.SubmittedAtMs, job.TraceParent, job.AttemptsWithdrawn);
        }).ToArray());
}
