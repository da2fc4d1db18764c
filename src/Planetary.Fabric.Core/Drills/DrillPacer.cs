using Planetary.Contracts;
using Planetary.Fabric.Manifest;

namespace Planetary.Fabric.Drills;

/// <summary>
/// Streams a drill's seeded jobs in: each tick it offers up to the plan's rate, shared between the shards that
/// still have jobs in proportion to their demand, and holds back while too many jobs are outstanding — overall, and
/// per shard while a shard's router is not answering (it may be restarting), so a restarted router is not met by a
/// flood. Batches are resent until the router answers, and refused jobs (a full queue) are offered again later. Used
/// unchanged by the simulator and by the live drill.
/// </summary>
public sealed class DrillPacer
{
    private readonly DrillPlan _plan;
    private readonly string _runId;
    private readonly SortedDictionary<string, JobStream> _streams = new(StringComparer.Ordinal);
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

    /// <summary>The batches to send this tick: new jobs, refused jobs offered again, and unanswered batches resent.</summary>
    public IReadOnlyList<SubmitJobs> Next(long tick, long outstanding, long nowMs)
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

        var budget = (int)Math.Min(_plan.SubmitRatePerTick, Math.Max(0, _plan.MaxOutstanding - outstanding - PendingJobs));
        if (budget == 0)
        {
            return batches;
        }

        var active = _streams.Keys.Where(s => _streams[s].Generated < _plan.JobsPerShard || _refused[s].Count > 0).ToArray();
        var weight = active.Sum(DemandOf);
        var unanswered = UnansweredJobsByShard();
        foreach (var shard in active)
        {
            if (unanswered.GetValueOrDefault(shard) >= MaxUnansweredPerShard)
            {
                _credit[shard] = 0; // its router is not answering: send it nothing more, and do not save up a burst
                continue;
            }

            _credit[shard] += budget * DemandOf(shard) / weight;
            var count = (int)_credit[shard];
            _credit[shard] -= count;
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

    private int PendingJobs => _pending.Values.Sum(b => b.Message.Jobs.Count);

    /// <summary>Jobs a shard may have submitted but unanswered before it gets no more: about five ticks' worth.</summary>
    private int MaxUnansweredPerShard => Math.Max(10, _plan.SubmitRatePerTick * 5);

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
