using Planetary.Contracts;
using Planetary.Fabric.Manifest;

namespace Planetary.Fabric.Drills;

/// <summary>
/// Streams a drill's seeded jobs in, closed-loop. Each tick the plan's offer is shared between the shards that still
/// have jobs in proportion to their demand, and each shard takes as much of its share as its backlog has room for: its
/// backlog target is its demand's share of the plan's backlog, never less than its floor
/// (<see cref="DrillPlan.BacklogFloor"/>), and its backlog is what it has outstanding (accepted, not yet in the books)
/// plus what it was sent and has not answered. A share a shard has no room for is not saved up. While a shard's router
/// is not answering (it may be restarting) it gets nothing more, so a restarted router is not met by a flood. Batches are resent until the router
/// answers, and refused jobs (a full queue) are offered again first. Used unchanged by the simulator and the live drill.
/// </summary>
public sealed class DrillPacer
{
    private readonly DrillPlan _plan;
    private readonly string _runId;
    private readonly SortedDictionary<string, JobStream> _streams = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, int> _floor = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, double> _credit = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, PendingBatch> _pending = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, Queue<JobSubmission>> _refused = new(StringComparer.Ordinal);
    private readonly HashSet<string> _accepted = new(StringComparer.Ordinal);
    private int _batchNumber;
    private int _takenElsewhere;

    public DrillPacer(FabricManifest manifest, DrillPlan plan, string runId)
    {
        _plan = plan;
        _runId = runId;
        ResendAfterTicks = ResendAfterTicksFor(manifest);
        foreach (var shard in manifest.Shards)
        {
            _streams[shard.Id] = new JobStream(manifest, shard.Id, plan.Seed, runId);
            _floor[shard.Id] = DrillPlan.BacklogFloor(manifest, shard);
            _credit[shard.Id] = 0;
            _refused[shard.Id] = new Queue<JobSubmission>();
        }
    }

    /// <summary>How long a batch waits for its router's answer before it is sent again.</summary>
    public int ResendAfterTicks { get; }

    /// <summary>
    /// The resend rule: five heartbeat grace periods, long enough for a killed router to be restarted and answer from its
    /// queue (RabbitMQ keeps the batch), short enough that a batch a lossy network dropped is soon sent again.
    /// </summary>
    public static int ResendAfterTicksFor(FabricManifest manifest) => 5 * manifest.Routers.HeartbeatGraceTicks;

    /// <summary>Jobs a router has confirmed (journaled), across all shards.</summary>
    public int Accepted => _accepted.Count;

    public int Generated => _streams.Values.Sum(s => s.Generated);

    public int Target => _plan.JobsPerShard * _streams.Count;

    /// <summary>Every job was accepted, or refused because its id names a job someone submitted to another shard first.</summary>
    public bool AllAccepted => _accepted.Count + _takenElsewhere == Target;

    /// <summary>Jobs refused because their id already named a job on another shard.</summary>
    public int TakenElsewhere => _takenElsewhere;

    public int GeneratedFor(string shardId) => _streams[shardId].Generated;

    public IReadOnlyCollection<string> AcceptedJobIds => _accepted;

    /// <summary>
    /// The batches to send this tick: each shard's share of the offer as far as its backlog has room (refused jobs
    /// first, then new ones), and unanswered batches resent. <paramref name="outstanding"/> holds each shard's accepted
    /// jobs not yet in the books.
    /// </summary>
    public IReadOnlyList<SubmitJobs> Next(long tick, IReadOnlyDictionary<string, long> outstanding, long nowMs)
    {
        var batches = new List<SubmitJobs>();
        foreach (var batch in _pending.Values)
        {
            if (tick - batch.SentTick >= ResendAfterTicks)
            {
                batch.SentTick = tick;
                batches.Add(batch.Message);
            }
        }

        var active = _streams.Keys.Where(s => _streams[s].Generated < _plan.JobsPerShard || _refused[s].Count > 0).ToArray();
        var weight = active.Sum(DemandOf);
        var unanswered = UnansweredJobsByShard();
        foreach (var shard in active)
        {
            var sent = unanswered.GetValueOrDefault(shard);
            if (sent >= MaxUnansweredPerShard)
            {
                _credit[shard] = 0; // its router is not answering: send it nothing more, and do not save up a burst
                continue;
            }

            // Its share of this tick's offer, as far as its backlog has room; a share it has no room for is not saved up.
            var target = Math.Max(_floor[shard], (long)(_plan.BacklogTarget * DemandOf(shard) / weight));
            var room = Math.Max(0, target - outstanding.GetValueOrDefault(shard) - sent);
            _credit[shard] += _plan.MaxSubmitPerTick * DemandOf(shard) / weight;
            var count = (int)Math.Min(room, (long)_credit[shard]);
            _credit[shard] %= 1; // the fraction of a job carries over to the next tick, whole jobs never do
            var jobs = new List<JobSubmission>(count);
            var refused = _refused[shard];
            while (jobs.Count < count && refused.Count > 0)
            {
                jobs.Add(refused.Dequeue());
            }

            var stream = _streams[shard];
            while (jobs.Count < count && stream.Generated < _plan.JobsPerShard)
            {
                jobs.Add(stream.Next(nowMs));
            }

            if (jobs.Count > 0)
            {
                var message = new SubmitJobs($"{_runId}-{shard}-b{++_batchNumber:D6}", shard, jobs);
                _pending[message.SubmissionId] = new PendingBatch(message, tick);
                batches.Add(message);
            }
        }

        return batches;
    }

    /// <summary>A router's answer. Unknown or repeated answers are ignored.</summary>
    public void OnAccepted(JobsAccepted answer)
    {
        if (!_pending.Remove(answer.SubmissionId, out var batch))
        {
            return;
        }

        foreach (var id in answer.Accepted)
        {
            _accepted.Add(id);
        }

        // Offered again later: a full queue, say. An id that names another shard's job is that job's; it is not offered again.
        var rejected = answer.Rejected.Where(r => r.Kind != RefusalKind.IdTaken).Select(r => r.JobId).ToHashSet(StringComparer.Ordinal);
        _takenElsewhere += answer.Rejected.Count(r => r.Kind == RefusalKind.IdTaken);
        foreach (var job in batch.Message.Jobs.Where(j => rejected.Contains(j.JobId)))
        {
            _refused[batch.Message.ShardId].Enqueue(job);
        }
    }

    /// <summary>Jobs a shard may have submitted but unanswered before it gets no more: five ticks' worth at the most per tick.</summary>
    private int MaxUnansweredPerShard => Math.Max(10, _plan.MaxSubmitPerTick * 5);

    private Dictionary<string, int> UnansweredJobsByShard()
    {
        var unanswered = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var batch in _pending.Values)
        {
            unanswered[batch.Message.ShardId] = unanswered.GetValueOrDefault(batch.Message.ShardId) + batch.Message.Jobs.Count;
        }

        return unanswered;
    }

    private double DemandOf(string shard) => _plan.Demand.TryGetValue(shard, out var d) && d > 0 ? d : 1;

    private sealed class PendingBatch(SubmitJobs message, long sentTick)
    {
        public SubmitJobs Message { get; } = message;

        public long SentTick { get; set; } = sentTick;
    }
}
