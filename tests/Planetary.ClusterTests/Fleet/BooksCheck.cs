using Planetary.Fabric.Hosting.Redis;
using StackExchange.Redis;

namespace Planetary.ClusterTests.Fleet;

/// <summary>What the books say about every job the fleet ever finished: each one exactly once.</summary>
public static class BooksCheck
{
    /// <summary>Job ids whose timeline records more than one finish (completed, failed or cancelled).</summary>
    public static async Task<IReadOnlyList<string>> FinishedTwiceAsync(IConnectionMultiplexer redis)
    {
        var ids = (await redis.GetDatabase().HashKeysAsync(RedisKeys.Ledger)).Select(key => (string)key!).ToList();
        Assert.NotEmpty(ids);
        var events = await new Books(redis).TimelinesAsync(ids);
        return events.Where(e => e.Event is Planetary.Fabric.Reporting.JobEventKind.Completed or Planetary.Fabric.Reporting.JobEventKind.Failed or Planetary.Fabric.Reporting.JobEventKind.Cancelled)
            .GroupBy(e => e.Job, StringComparer.Ordinal)
            .Where(group => group.Count() > 1)
            .Select(group => group.Key)
            .ToList();
    }
}
