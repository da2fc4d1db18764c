using Planetary.Contracts;
using StackExchange.Redis;

namespace Planetary.Fabric.Hosting.Redis;

/// <summary>Reads the books (final outcomes) and job timelines that routers write with their journal.</summary>
public sealed class Books(IConnectionMultiplexer redis)
{
    public async Task<JobOutcome?> OutcomeAsync(string jobId) =>
        RedisJournalStore.ParseOutcome(await redis.GetDatabase().StringGetAsync(RedisKeys.Outcome(jobId)));

    /// <summary>Outcomes of many jobs (missing = not finished), fetched in chunks.</summary>
    public async Task<Dictionary<string, JobOutcome>> OutcomesAsync(IReadOnlyCollection<string> jobIds, int chunk = 2_000)
    {
        var db = redis.GetDatabase();
        var result = new Dictionary<string, JobOutcome>(StringComparer.Ordinal);
        foreach (var ids in jobIds.Chunk(chunk))
        {
            var values = await db.StringGetAsync(ids.Select(id => (RedisKey)RedisKeys.Outcome(id)).ToArray());
            for (var i = 0; i < ids.Length; i++)
            {
                if (RedisJournalStore.ParseOutcome(values[i]) is { } outcome)
                {
                    result[ids[i]] = outcome;
                }
            }
        }

        return result;
    }

    public async Task<IReadOnlyList<JobEventRecord>> TimelineAsync(string jobId) =>
        (await redis.GetDatabase().ListRangeAsync(RedisKeys.JobTimeline(jobId))).Select(RedisJournalStore.ParseEvent).ToArray();

    /// <summary>The last timeline event of each of these jobs (absent: no timeline kept), pipelined.</summary>
    public async Task<Dictionary<string, JobEventRecord>> LastEventsAsync(IReadOnlyCollection<string> jobIds)
    {
        var db = redis.GetDatabase();
        var batch = db.CreateBatch();
        var reads = jobIds.Select(id => (Id: id, Read: batch.ListGetByIndexAsync(RedisKeys.JobTimeline(id), -1))).ToArray();
        batch.Execute();
        var last = new Dictionary<string, JobEventRecord>(StringComparer.Ordinal);
        foreach (var (id, read) in reads)
        {
            if (await read is { IsNull: false } value)
            {
                last[id] = RedisJournalStore.ParseEvent(value);
            }
        }

        return last;
    }

    /// <summary>Timelines of many jobs, pipelined.</summary>
    public async Task<List<JobEventRecord>> TimelinesAsync(IReadOnlyCollection<string> jobIds, int chunk = 1_000)
    {
        var db = redis.GetDatabase();
        var events = new List<JobEventRecord>();
        foreach (var ids in jobIds.Chunk(chunk))
        {
            var batch = db.CreateBatch();
            var reads = ids.Select(id => batch.ListRangeAsync(RedisKeys.JobTimeline(id))).ToArray();
            batch.Execute();
            foreach (var read in reads)
            {
                events.AddRange((await read).Select(RedisJournalStore.ParseEvent));
            }
        }

        return events;
    }
}
