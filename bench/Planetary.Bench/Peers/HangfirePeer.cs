using System.Diagnostics;
using Hangfire;
using Hangfire.Redis.StackExchange;
using StackExchange.Redis;

namespace Planetary.Bench.Peers;

/// <summary>
/// Hangfire with its Redis storage (Hangfire.Redis.StackExchange), in this process: a BackgroundJobServer of
/// <see cref="WorkerCount"/> workers, and <see cref="EnqueueThreads"/> threads enqueueing a static no-op method through
/// a BackgroundJobClient; timed from the first enqueue until Hangfire's own succeeded count reaches the jobs. The run's
/// keys have a prefix of their own and are deleted afterwards.
/// </summary>
public static class HangfirePeer
{
    /// <summary>Hangfire's default is Environment.ProcessorCount × 5, at most 20: 10 here on 2 cores.</summary>
    public const int WorkerCount = 20;

    public const int EnqueueThreads = 4;

    /// <summary>The job: does nothing.</summary>
    public static void NoOp()
    {
    }

    public static async Task<PeerResult> RunAsync(PeerServers servers, int jobs)
    {
        var prefix = $"{{peers-hangfire-{Guid.NewGuid().ToString("N")[..8]}}}:";
        using var redis = await ConnectionMultiplexer.ConnectAsync(servers.Redis + ",allowAdmin=true");
        try
        {
            var storage = new RedisStorage(redis, new RedisStorageOptions { Prefix = prefix });
            var client = new BackgroundJobClient(storage);
            var monitoring = storage.GetMonitoringApi();
            TimeSpan enqueued, done;
            using (new BackgroundJobServer(new BackgroundJobServerOptions { WorkerCount = WorkerCount }, storage))
            {
                var clock = Stopwatch.StartNew();
                await Task.Run(() => Parallel.For(0, jobs, new ParallelOptions { MaxDegreeOfParallelism = EnqueueThreads }, _ => client.Enqueue(() => NoOp())));
                enqueued = clock.Elapsed;
                while (monitoring.GetStatistics().Succeeded < jobs)
                {
                    if (clock.Elapsed > PeerBench.Limit)
                    {
                        throw new PeerRunException($"Hangfire: {monitoring.GetStatistics().Succeeded} of {jobs} jobs succeeded within {PeerBench.Limit.TotalMinutes:F0} minutes");
                    }

                    await Task.Delay(20);
                }

                done = clock.Elapsed;
            }

            return new PeerResult(
                $"Hangfire {typeof(BackgroundJob).Assembly.GetName().Version?.ToString(3)} (.NET, Redis storage {typeof(RedisStorage).Assembly.GetName().Version?.ToString(3)})",
                jobs,
                done.TotalSeconds,
                $"one BackgroundJobServer in the bench's process, {WorkerCount} workers; {EnqueueThreads} threads calling Enqueue, all enqueued after {enqueued.TotalSeconds:F1} s; done = Hangfire's succeeded count",
                "Enqueue returns once a Redis transaction has stored the job and queued it; a fetched job stays in Redis until done and is queued again if its server dies (after the invisibility timeout, 30 min by default): at-least-once; kept as Redis persists it");
        }
        finally
        {
            await DeleteKeysAsync(redis, prefix);
        }
    }

    private static async Task DeleteKeysAsync(ConnectionMultiplexer redis, string prefix)
    {
        var database = redis.GetDatabase();
        var batch = new List<RedisKey>(1_000);
        await foreach (var key in redis.GetServers().Single().KeysAsync(pattern: prefix + "*", pageSize: 1_000))
        {
            batch.Add(key);
            if (batch.Count == 1_000)
            {
                await database.KeyDeleteAsync([.. batch]);
                batch.Clear();
            }
        }

        await database.KeyDeleteAsync([.. batch]);
    }
}
