using Planetary.Fabric.Reporting;
using Planetary.Fabric.Runtime.Ports;
using StackExchange.Redis;

namespace Planetary.Fabric.Hosting.Redis;

/// <summary>
/// The job-index part of a journal commit's script arguments (see <see cref="RedisKeys.JobIndex"/>): each job the commit
/// touched leaves every other index set of its shard and template and joins the one of its status; a job an ally took
/// leaves the moving set.
/// </summary>
internal static class JobIndexArguments
{
    private static readonly JobStatus[] Statuses = Enum.GetValues<JobStatus>();

    public static void Add(JournalCommit commit, List<RedisKey> keys, List<RedisValue> args)
    {
        var indexKeys = new List<(string Key, bool Final)>();
        var numbers = new Dictionary<string, int>(StringComparer.Ordinal);
        int Number(JobStatus status, string template)
        {
            var key = RedisKeys.JobIndex(commit.ShardId, status, template);
            if (!numbers.TryGetValue(key, out var number))
            {
                indexKeys.Add((key, status.IsFinal()));
                number = indexKeys.Count;
                numbers.Add(key, number);
            }

            return number;
        }

        var jobs = new List<RedisValue>();
        var leaves = new List<int>();
        foreach (var entry in commit.Index)
        {
            leaves.Clear();
            var joins = 0;
            if (entry.Status is { } status)
            {
                joins = Number(status, entry.Template);
                leaves.AddRange(Statuses.Where(s => s != status).Select(s => Number(s, entry.Template)));
            }
            else
            {
                leaves.Add(Number(JobStatus.Moving, entry.Template));
            }

            jobs.Add(entry.JobId);
            jobs.Add(entry.Order);
            jobs.Add(joins);
            jobs.Add(leaves.Count);
            jobs.AddRange(leaves.Select(n => (RedisValue)n));
        }

        keys.AddRange(indexKeys.Select(k => (RedisKey)k.Key));
        args.Add(indexKeys.Count);
        args.AddRange(indexKeys.Select(k => (RedisValue)(k.Final ? "1" : "0")));
        args.Add(commit.Index.Count);
        args.Add((commit.AtMs - (commit.RetentionSeconds * 1000)) * 1000);
        args.AddRange(jobs);
    }
}
