using Planetary.Fabric.Hosting.Redis;
using StackExchange.Redis;

namespace Planetary.ClusterTests.Fleet;

/// <summary>What the books say about every job the fleet ever finished: each one exactly once.</summary>
public static class BooksCheck
{
    /// <summary>Job ids whose timeline records more than one finish (completed, failed or cancelled).</summary>
    public static async Task<IReadOnlyList<string>> FinishedTwiceAsync(IConnectionMultiplexer redis)
    {
        var server = redis.GetServers().First(s => !s.IsReplica);
        var ids = new List<string>();
        await foreach (var key in server.KeysAsync(pattern: RedisKeys.OutcomePrefix + "*"))
        {
            ids.Add(((string)key!)[RedisKeys.OutcomePrefix.Length..]);
        }

        Assert.NotEmpty(ids);
        var events = await new Books(redis).TimelinesAsync(ids);
        return events.Where(e => e.Event is Planetary.Fabric.Reporting.JobEventKind.Completed or Planetary.Fabric.Reporting.JobEventKind.Failed or Planetary.Fabric.Reporting.JobEventKind.Cancelled)
            .GroupBy(e => e.Job, StringComparer.Ordinal)
            .Where(group => group.Count() > 1)
            .Select(group => group.Key)
            .ToList();
    }
}
