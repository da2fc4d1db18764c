using System.Diagnostics;
using Microsoft.Extensions.Options;
using Planetary.Contracts;
using Planetary.Fabric.Hosting;
using Planetary.Fabric.Hosting.Redis;
using Planetary.Fabric.Journal;
using Planetary.Fabric.Manifest;
using Planetary.Fabric.Reporting;
using Planetary.Fabric.Runtime.Ports;
using StackExchange.Redis;

namespace Planetary.Bench;

/// <summary>
/// The job list at scale: fills an empty Redis with <c>jobs</c> finished jobs through the routers' own commit script
/// (1,000 per commit, spread over the manifest's shards and templates, 1 % failed, the rest completed), then times
/// pages of <c>GET /api/jobs</c>'s query: the newest page, a filtered one, and a page deep in the list by cursor.
/// </summary>
public static class JobIndexBench
{
    public static async Task RunAsync(string redisConnection, int jobs)
    {
        var manifest = ManifestLoader.LoadDefault();
        using var redis = await ConnectionMultiplexer.ConnectAsync(redisConnection + ",allowAdmin=true");
        var store = new RedisJournalStore(redis, Options.Create(new FabricOptions()));
        var index = new JobIndex(redis);
        var shards = manifest.Shards.Select(s => s.Id).ToArray();
        var templates = manifest.JobTemplates.Select(t => t.Name).ToArray();

        var fill = Stopwatch.StartNew();
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var claims = new Dictionary<string, long>();
        foreach (var shard in shards)
        {
            claims[shard] = (await store.ClaimAsync(shard, CancellationToken.None)).Epoch;
        }

        JobIndexCursor? middle = null;
        for (var start = 0; start < jobs; start += 1_000)
        {
            var shard = shards[start / 1_000 % shards.Length];
            var atMs = now - jobs + start; // older first, a millisecond apart per commit
            var ids = Enumerable.Range(start, Math.Min(1_000, jobs - start)).Select(n => $"bench-{n}").ToArray();
            var outcomes = ids.Select((id, i) => new JobOutcome(id, i % 100 == 0 ? JobOutcomeKind.Failed : JobOutcomeKind.Completed, shard, null, 1, 0, shard,
                templates[i % templates.Length], null, atMs, 1, 2, FinishedAtMs: atMs)).ToArray();
            var indexed = outcomes.Select((o, i) => new JobIndexEntry(o.JobId, o.Template, JobStatuses.Of(o.Kind), (atMs * 1000) + i)).ToArray();
            await store.AppendAsync(new JournalCommit(shard, claims[shard], 0, 1, [], outcomes, [], atMs, 7 * 24 * 3600, indexed), CancellationToken.None);
            if (start == jobs / 2)
            {
                middle = new JobIndexCursor(indexed[0].Order, indexed[0].JobId);
            }
        }

        fill.Stop();
        var server = redis.GetServers()[0];
        var used = (await server.InfoAsync("memory")).SelectMany(g => g).First(p => p.Key == "used_memory").Value;
        var indexMemory = 0L;
        await foreach (var key in server.KeysAsync(pattern: "fabric:jobs:*"))
        {
            indexMemory += (long)(await redis.GetDatabase().ExecuteAsync("MEMORY", "USAGE", key.ToString()));
        }

        Console.WriteLine($"filled {jobs:N0} finished jobs in {fill.Elapsed.TotalSeconds:F1} s through the commit script; Redis used_memory {long.Parse(used) / (1024 * 1024)} MiB, of it the job index {indexMemory / (1024 * 1024)} MiB");

        var all = Enum.GetValues<JobStatus>();
        await Time("newest 50, no filter (224 sets)", () => index.PageAsync(new JobIndexQuery(all, shards, templates, null, 50)));
        await Time("newest 50 failed", () => index.PageAsync(new JobIndexQuery([JobStatus.Failed], shards, templates, null, 50)));
        await Time("newest 50 completed on earth of one template", () => index.PageAsync(new JobIndexQuery([JobStatus.Completed], ["earth"], [templates[1]], null, 50)));
        await Time("50 after a cursor half way down, no filter", () => index.PageAsync(new JobIndexQuery(all, shards, templates, middle, 50)));
        await Time("newest 500, no filter", () => index.PageAsync(new JobIndexQuery(all, shards, templates, null, 500)));
    }

    private static async Task Time(string what, Func<Task<JobIndexPage>> page)
    {
        await page(); // warm
        var samples = new List<double>();
        var count = 0;
        for (var i = 0; i < 20; i++)
        {
            var clock = Stopwatch.StartNew();
            count = (await page()).Jobs.Count;
            samples.Add(clock.Elapsed.TotalMilliseconds);
        }

        samples.Sort();
        Console.WriteLine($"  {what,-50} {count,4} jobs  median {samples[10],6:F2} ms  max {samples[^1],6:F2} ms");
    }
}
