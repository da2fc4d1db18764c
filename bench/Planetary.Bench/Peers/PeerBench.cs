using StackExchange.Redis;

namespace Planetary.Bench.Peers;

/// <summary>
/// <c>planetary-bench peers</c>: no-op jobs per second through Hangfire (Redis), Sidekiq (Redis) and Celery (RabbitMQ),
/// one after another on this machine, against the fleet's servers or those named, each with what it promises for a job
/// it accepted and the Redis persistence that promise rests on. A peer whose runtime is missing is skipped, with what to
/// install; a peer whose run fails is reported and left out.
/// </summary>
public static class PeerBench
{
    /// <summary>How long one peer's run may take.</summary>
    public static readonly TimeSpan Limit = TimeSpan.FromMinutes(5);

    /// <summary>The measured peers, and the Redis persistence they ran on (<c>appendonly</c>, <c>appendfsync</c>, <c>save</c>).</summary>
    public sealed record Figures(IReadOnlyList<PeerResult> Peers, string RedisPersistence);

    public static async Task<Figures> RunAsync(PeerServers servers, int jobs)
    {
        var persistence = await RedisPersistenceAsync(servers.Redis);
        Console.WriteLine($"peers: {servers.Source}: Redis {servers.RedisHostPort} ({persistence}), RabbitMQ {servers.RabbitMq.Host}:{servers.RabbitMq.Port}");
        var runs = new (string Peer, Func<Task<PeerResult?>> Run)[]
        {
            ("Hangfire", async () => await HangfirePeer.RunAsync(servers, jobs)),
            ("Sidekiq", () => SidekiqPeer.RunAsync(servers, jobs)),
            ("Celery", () => CeleryPeer.RunAsync(servers, jobs)),
        };
        var results = new List<PeerResult>();
        foreach (var (peer, run) in runs)
        {
            try
            {
                if (await run() is { } result)
                {
                    Console.WriteLine($"peers: {result.Peer}: {result.Jobs} no-op jobs done {result.Seconds:F1} s after the first enqueue = {result.JobsPerSecond:F0} jobs/s ({result.Settings})");
                    results.Add(result);
                }
            }
            catch (Exception e)
            {
                // One peer's failure (its process exited, a Redis timeout under load, ...) leaves the others' figures standing.
                Console.WriteLine($"peers: {peer} did not finish: {e.GetBaseException().Message}");
            }
        }

        Console.WriteLine();
        Console.WriteLine($"| peer (Redis: {persistence}) | no-op jobs/s | settings | what it promises for an accepted job |");
        Console.WriteLine("|---|---|---|---|");
        foreach (var result in results)
        {
            Console.WriteLine($"| {result.Peer} | {result.JobsPerSecond:F0} ({result.Jobs:N0} in {result.Seconds:F1} s) | {result.Settings} | {result.Promise} |");
        }

        return new Figures(results, persistence);
    }

    /// <summary>Whether what Redis holds is on disk, and when: its AOF and fsync policy and its snapshot schedule.</summary>
    private static async Task<string> RedisPersistenceAsync(string connection)
    {
        using var redis = await ConnectionMultiplexer.ConnectAsync(connection + ",allowAdmin=true");
        var server = redis.GetServers().Single();
        var settings = new List<string>();
        foreach (var name in new[] { "appendonly", "appendfsync", "save" })
        {
            var value = (await server.ConfigGetAsync(name)).SingleOrDefault().Value;
            settings.Add($"{name} {(string.IsNullOrEmpty(value) ? "''" : value)}");
        }

        return string.Join(", ", settings);
    }
}
