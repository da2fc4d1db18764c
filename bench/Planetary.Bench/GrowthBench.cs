using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Planetary.Cli;
using StackExchange.Redis;

namespace Planetary.Bench;

/// <summary>
/// What the live fleet's Redis keeps as jobs pass through, and what it gives back once their retention has passed:
/// sets <c>jobs.retentionHours</c> to its minimum (1 h) and <c>execution.timeScale</c> to 0, submits <c>jobs</c>
/// zero-duration jobs (keeping each shard's backlog under its queue limit, and submitting again what a full shard
/// refused), then records Redis's memory, AOF and keys by kind: before, once every job finished, and after the
/// retention (keys expired, then an AOF rewrite). The parameters are restored at the end.
/// </summary>
public static class GrowthBench
{
    private static readonly (string Shard, string Template)[] Shards = BenchFleet.ShardTemplates;

    public static async Task RunAsync(OwnerClient owner, int jobs, TimeSpan settle)
    {
        using var redis = await ConnectionMultiplexer.ConnectAsync(BenchFleet.ServiceConnectionString("state") + ",allowAdmin=true");
        var server = redis.GetServers().Single();
        await Print("before", server);
        await BenchFleet.WithParametersAsync(owner, [("jobs.retentionHours", 1), ("execution.timeScale", 0)], async () =>
        {
            var clock = Stopwatch.StartNew();
            await Submit(owner, jobs);
            var finished = DateTimeOffset.UtcNow;
            Console.WriteLine($"growth: {jobs} zero-duration jobs finished after {clock.Elapsed.TotalSeconds:F0} s ({jobs / clock.Elapsed.TotalSeconds:F0} jobs/s)");
            await Print("all finished", server);
            var sample = await server.Multiplexer.GetDatabase().KeyTimeToLiveAsync($"fabric:outcome:{RunPrefix}-{jobs - 1}");
            Console.WriteLine($"growth: the last job's outcome expires in {sample?.TotalSeconds:F0} s");

            // Every key of the run expires an hour after its job finished (the index sets an hour after the last join).
            var until = finished + TimeSpan.FromHours(1) + settle;
            while (DateTimeOffset.UtcNow < until)
            {
                await Task.Delay(TimeSpan.FromMinutes(5) < until - DateTimeOffset.UtcNow ? TimeSpan.FromMinutes(5) : until - DateTimeOffset.UtcNow);
                var info = await Info(server);
                Console.WriteLine($"growth: waiting for the retention: {until - DateTimeOffset.UtcNow:hh\\:mm\\:ss} to go, {await server.DatabaseSizeAsync()} keys, used_memory {Mb(info["used_memory"])} MiB");
            }

            await Print("retention passed", server);
            await server.ExecuteAsync("BGREWRITEAOF");
            while ((await Info(server))["aof_rewrite_in_progress"] != "0" || (await Info(server))["aof_rewrite_scheduled"] != "0")
            {
                await Task.Delay(500);
            }

            await Print("after an AOF rewrite", server);
        });
    }

    private static readonly string RunPrefix = "grow" + Guid.NewGuid().ToString("N")[..6];

    // Batches of 1,000 to one shard at a time, round the shards, while fewer than 8,000 per shard are outstanding
    // (the queue limit is 20,000); a 429's refused ids go again after its Retry-After.
    private static async Task Submit(OwnerClient owner, int jobs)
    {
        var baseline = await BenchFleet.CompletedAsync(owner);
        var next = 0;
        var refusedAgain = 0;
        var pending = new Queue<(int Shard, string[] Ids)>();
        for (var i = 0; i < jobs; i += 1_000)
        {
            pending.Enqueue((i / 1_000 % Shards.Length, Enumerable.Range(i, Math.Min(1_000, jobs - i)).Select(n => $"{RunPrefix}-{n}").ToArray()));
        }

        while (pending.Count > 0)
        {
            var (shard, ids) = pending.Dequeue();
            while (next - (await BenchFleet.CompletedAsync(owner) - baseline) > 8_000 * Shards.Length)
            {
                await Task.Delay(200);
            }

            var body = new JsonObject
            {
                ["shard"] = Shards[shard].Shard,
                ["jobs"] = new JsonArray(ids.Select(id => (JsonNode)new JsonObject { ["id"] = id, ["template"] = Shards[shard].Template }).ToArray()),
            };
            var (status, answer) = await owner.ExchangeAsync(HttpMethod.Post, "/api/jobs", body, CancellationToken.None);
            if (status == HttpStatusCode.TooManyRequests)
            {
                var refused = answer.GetProperty("refused").EnumerateArray().Select(r => r.GetProperty("jobId").GetString()!).ToArray();
                refusedAgain += refused.Length;
                next += ids.Length - refused.Length;
                pending.Enqueue((shard, refused));
                await Task.Delay(TimeSpan.FromSeconds(1));
                continue;
            }

            if (status != HttpStatusCode.Accepted)
            {
                throw new OwnerCallException($"POST /api/jobs answered {(int)status}: {answer}", 1);
            }

            next += ids.Length;
        }

        while (await BenchFleet.CompletedAsync(owner) - baseline < jobs)
        {
            await Task.Delay(500);
        }

        Console.WriteLine($"growth: {refusedAgain} refusals by a full shard, submitted again");
    }

    private static async Task Print(string moment, IServer server)
    {
        var info = await Info(server);
        var kinds = new SortedDictionary<string, long>(StringComparer.Ordinal);
        await foreach (var key in server.KeysAsync(pattern: "*", pageSize: 10_000))
        {
            var text = key.ToString();
            var second = text.IndexOf(':', text.IndexOf(':') + 1);
            var kind = second < 0 ? text : text[..second];
            kinds[kind] = kinds.GetValueOrDefault(kind) + 1;
        }

        Console.WriteLine($"growth: {moment}: used_memory {Mb(info["used_memory"])} MiB, dataset {Mb(info["used_memory_dataset"])} MiB, " +
                          $"AOF {Mb(info["aof_current_size"])} MiB (base {Mb(info["aof_base_size"])} MiB), {kinds.Values.Sum()} keys");
        Console.WriteLine($"growth: {moment}: keys by kind: {string.Join(", ", kinds.Select(k => $"{k.Key} {k.Value}"))}");
    }

    private static async Task<Dictionary<string, string>> Info(IServer server) =>
        (await server.InfoAsync()).SelectMany(g => g).ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);

    private static string Mb(string bytes) => (long.Parse(bytes, CultureInfo.InvariantCulture) / 1048576.0).ToString("F1", CultureInfo.InvariantCulture);
}
