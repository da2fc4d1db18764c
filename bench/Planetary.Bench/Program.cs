using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Planetary.Cli;

// planetary-bench throughput [jobs] | recovery [shard] | memory — against the running fleet (owner control on :5080);
// planetary-bench growth [jobs] [settle minutes] — against the running fleet: what its Redis keeps, before and after the retention;
// planetary-bench growth-simulated [jobs] [seed] — in the simulator: what the simulated Redis and the routers keep;
// planetary-bench job-index REDIS [jobs] — against a Redis of its own (bench/job-index.sh starts one).
var command = args.FirstOrDefault() ?? "all";
if (command == "growth-simulated")
{
    return Planetary.Bench.SimulatedGrowthBench.Run(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 1_000_000, args.Length > 2 ? ulong.Parse(args[2], CultureInfo.InvariantCulture) : 7);
}

if (command == "job-index")
{
    await Planetary.Bench.JobIndexBench.RunAsync(args[1], args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 1_000_000);
    return 0;
}

using var owner = new OwnerClient(null, null);
try
{
    switch (command)
    {
        case "throughput":
            await Throughput(owner, args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 20_000);
            break;
        case "recovery":
            await Recovery(owner, args.Length > 1 ? args[1] : "earth");
            break;
        case "memory":
            Memory();
            break;
        case "growth":
            await Planetary.Bench.GrowthBench.RunAsync(owner, args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 200_000,
                TimeSpan.FromMinutes(args.Length > 2 ? double.Parse(args[2], CultureInfo.InvariantCulture) : 2));
            break;
        default:
            await Throughput(owner, 20_000);
            await Recovery(owner, "earth");
            Memory();
            break;
    }

    return 0;
}
catch (OwnerCallException e)
{
    Console.Error.WriteLine($"error: {e.Message}");
    return e.ExitCode;
}

// Zero-duration jobs (execution.timeScale 0) submitted as fast as the API takes them; the clock runs until every
// router has counted them completed. The time scale is restored afterwards.
static async Task Throughput(OwnerClient owner, int jobs)
{
    var before = await owner.GetAsync("/api/parameters/execution.timeScale");
    var scale = before.GetProperty("value").GetRawText();
    await owner.PutAsync("/api/parameters/execution.timeScale", Body(new { value = 0 }));
    await Task.Delay(TimeSpan.FromSeconds(2)); // every agent applies it
    try
    {
        var baseline = await Completed(owner);
        var shards = new[] { ("earth", "governance-review"), ("luna", "validation-sweep"), ("mars", "logistics-routing"), ("edge", "research-synthesis") };
        var run = Guid.NewGuid().ToString("N")[..6];
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < jobs; i += 1_000)
        {
            var (shard, template) = shards[i / 1_000 % shards.Length];
            await owner.PostAsync("/api/jobs", Body(new
            {
                shard,
                jobs = Enumerable.Range(i, Math.Min(1_000, jobs - i)).Select(n => new { id = $"tp{run}-{n}", template }).ToArray(),
            }));
        }

        var submitted = clock.Elapsed;
        while (await Completed(owner) - baseline < jobs)
        {
            await Task.Delay(100);
        }

        var total = clock.Elapsed;
        Console.WriteLine($"throughput: {jobs} zero-duration jobs submitted in {submitted.TotalSeconds:F1} s, all completed after {total.TotalSeconds:F1} s = {jobs / total.TotalSeconds:F0} jobs/s");
    }
    finally
    {
        await owner.PutAsync("/api/parameters/execution.timeScale", Body(new { value = JsonDocument.Parse(scale).RootElement }));
    }
}

// Crash a router for real (owner control's fault route: the process exits without shutting down, the app host
// restarts it). Measures, from the kill request: until the new process reports in, and until a job submitted to
// the shard once the new process is there has completed (the shard serves again end to end).
static async Task Recovery(OwnerClient owner, string shard)
{
    var oldProcess = Shard(await owner.GetAsync("/api/status"), shard).GetProperty("processId").GetInt32();
    var clock = Stopwatch.StartNew();
    await owner.PostAsync($"/api/faults/routers/{shard}/crash");
    while (Shard(await owner.GetAsync("/api/status"), shard).GetProperty("processId") is var pid
           && (pid.ValueKind != JsonValueKind.Number || pid.GetInt32() == oldProcess))
    {
        if (clock.Elapsed > TimeSpan.FromMinutes(2))
        {
            Console.WriteLine($"recovery: router {shard} did not come back within 2 minutes");
            return;
        }

        await Task.Delay(50);
    }

    var back = clock.Elapsed;
    var id = $"recovery-{Guid.NewGuid():N}";
    await owner.PostAsync("/api/jobs", Body(new { shard, jobs = new[] { new { id, template = "logistics-routing" } } }));
    while (!await IsCompleted(owner, id))
    {
        await Task.Delay(50);
    }

    Console.WriteLine($"recovery: router {shard} killed; the new process reported in after {back.TotalSeconds:F1} s; a job sent to it then completed {clock.Elapsed.TotalSeconds:F1} s after the kill");
}

static async Task<bool> IsCompleted(OwnerClient owner, string id)
{
    try
    {
        return (await owner.GetAsync($"/api/jobs/{id}")).TryGetProperty("status", out var state) && state.GetString() == "completed";
    }
    catch (OwnerCallException e) when (e.Message.StartsWith("404", StringComparison.Ordinal))
    {
        return false; // not journaled yet
    }
}

// PSS and RSS of every fabric service, then the whole machine's processes by name (the fleet, Aspire's own, the
// servers) and their total: what the fleet costs with nothing else running.
static void Memory()
{
    var all = new List<(string Name, long Pss, long Rss)>();
    foreach (var process in Process.GetProcesses())
    {
        try
        {
            var rollup = File.ReadAllLines($"/proc/{process.Id}/smaps_rollup");
            long Value(string key) => long.Parse(rollup.First(l => l.StartsWith(key, StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
            all.Add((process.ProcessName, Value("Pss:"), Value("Rss:")));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            // gone, a kernel thread, or not ours to read
        }
    }

    foreach (var service in all.Where(p => p.Name.StartsWith("Planetary.", StringComparison.Ordinal)).OrderBy(p => p.Name))
    {
        Console.WriteLine($"memory: {service.Name,-24} PSS {service.Pss,4} MB  RSS {service.Rss,4} MB");
    }

    foreach (var group in all.GroupBy(p => p.Name).Select(g => (Name: g.Key, Count: g.Count(), Pss: g.Sum(p => p.Pss))).Where(g => g.Pss >= 5).OrderByDescending(g => g.Pss))
    {
        Console.WriteLine($"memory, every process: {group.Name,-24} {group.Count,3} process(es)  PSS {group.Pss,5} MB");
    }

    Console.WriteLine($"memory, every process: total PSS {all.Sum(p => p.Pss)} MB");
}

static async Task<long> Completed(OwnerClient owner) =>
    (await owner.GetAsync("/api/status")).GetProperty("shards").EnumerateArray().Sum(s => s.GetProperty("completed").ValueKind == JsonValueKind.Number ? s.GetProperty("completed").GetInt64() : 0);

static JsonElement Shard(JsonElement status, string shard) =>
    status.GetProperty("shards").EnumerateArray().Single(s => s.GetProperty("id").GetString() == shard);

// A request body from an anonymous object (the bench is not published native, so reflection-based JSON is fine here).
static System.Text.Json.Nodes.JsonObject Body(object value) => JsonSerializer.SerializeToNode(value, value.GetType(), JsonSerializerOptions.Web)!.AsObject();
