using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Planetary.Bench;
using Planetary.Bench.Peers;
using Planetary.Cli;

// planetary-bench [all] — against the running fleet (owner control on :5080): every live figure below, then one table;
// planetary-bench throughput [jobs] | recovery [shard] | latency [jobs] | memory | raw-rabbitmq [messages] | drill [jobs per shard] — one of them;
// planetary-bench growth [jobs] [settle minutes] — against the running fleet: what its Redis keeps, before and after the retention;
// planetary-bench growth-simulated [jobs] [seed] — in the simulator: what the simulated Redis and the routers keep;
// planetary-bench job-index REDIS [jobs] — against a Redis of its own (bench/job-index.sh starts one);
// planetary-bench peers [jobs] [--redis host:port[,password=...]] [--rabbitmq amqp://user:password@host:port] — no-op
//   jobs/s through Hangfire, Sidekiq and Celery on this machine, against the running fleet's Redis and RabbitMQ or those named.
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

if (command == "peers")
{
    string? Option(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();
    var jobs = args.Skip(1).TakeWhile(a => !a.StartsWith("--", StringComparison.Ordinal)).Select(a => int.Parse(a, CultureInfo.InvariantCulture)).FirstOrDefault(20_000);
    try
    {
        await PeerBench.RunAsync(PeerServers.Resolve(Option("--redis"), Option("--rabbitmq")), jobs);
        return 0;
    }
    catch (OwnerCallException e)
    {
        Console.Error.WriteLine($"error: {e.Message}; or name the servers: --redis host:port[,password=...] --rabbitmq amqp://user:password@host:port");
        return e.ExitCode;
    }
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
        case "raw-rabbitmq":
            await RawBrokerBench.RunAsync(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 50_000);
            break;
        case "latency":
            await Latency(owner, args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 200);
            break;
        case "growth":
            await Planetary.Bench.GrowthBench.RunAsync(owner, args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 200_000,
                TimeSpan.FromMinutes(args.Length > 2 ? double.Parse(args[2], CultureInfo.InvariantCulture) : 2));
            break;
        case "drill":
            await DrillBench.RunAsync(owner, args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 10_000);
            break;
        case "all":
            await All(owner);
            break;
        default:
            Console.Error.WriteLine($"error: unknown benchmark {command} (see the comment at the top of bench/Planetary.Bench/Program.cs)");
            return 2;
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
static Task<double> Throughput(OwnerClient owner, int jobs) => BenchFleet.WithParametersAsync(owner, [("execution.timeScale", 0)], async () =>
    {
        var baseline = await BenchFleet.CompletedAsync(owner);
        var shards = BenchFleet.ShardTemplates;
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
        while (await BenchFleet.CompletedAsync(owner) - baseline < jobs)
        {
            await Task.Delay(100);
        }

        var total = clock.Elapsed;
        Console.WriteLine($"throughput: {jobs} zero-duration jobs submitted in {submitted.TotalSeconds:F1} s, all completed after {total.TotalSeconds:F1} s = {jobs / total.TotalSeconds:F0} jobs/s");
        return jobs / total.TotalSeconds;
    });

// kill -9 of a router's process, five times: from the kill until a zero-duration job sent to the shard right after it
// has completed (it waits in the router's queue while the supervisor starts a new process, which restores the shard
// from its snapshot and journal and serves it). Kills are 35 s apart, so each restart is a first one (the supervisor's
// backoff resets after 30 s of running). Also says when the new process first reported its status.
static Task<(double MedianMs, double MaxMs)?> Recovery(OwnerClient owner, string shard, int kills = 5) => BenchFleet.WithParametersAsync<(double, double)?>(owner, [("execution.timeScale", 0)], async () =>
    {
        var serving = new List<double>();
        for (var k = 1; k <= kills; k++)
        {
            var oldProcess = Shard(await owner.GetAsync("/api/status"), shard).GetProperty("processId").GetInt32();
            var id = $"recovery-{Guid.NewGuid():N}";
            using (var process = Process.GetProcessById(oldProcess))
            {
                process.Kill(); // SIGKILL
            }

            var clock = Stopwatch.StartNew();
            await owner.PostAsync("/api/jobs", Body(new { shard, jobs = new[] { new { id, template = "logistics-routing" } } })); // 202, pending while the router is down
            TimeSpan? reported = null;
            while (!await IsCompleted(owner, id))
            {
                if (reported is null && Shard(await owner.GetAsync("/api/status"), shard).GetProperty("processId") is { ValueKind: JsonValueKind.Number } pid && pid.GetInt32() != oldProcess)
                {
                    reported = clock.Elapsed;
                }

                if (clock.Elapsed > TimeSpan.FromMinutes(2))
                {
                    Console.WriteLine($"recovery: router {shard} did not serve again within 2 minutes of kill {k}");
                    return null;
                }

                await Task.Delay(10);
            }

            serving.Add(clock.Elapsed.TotalMilliseconds);
            Console.WriteLine($"recovery: kill {k} of router {shard} (pid {oldProcess}): a job sent after it completed {clock.Elapsed.TotalMilliseconds:F0} ms after the kill" +
                              (reported is { } r ? $"; the new process reported its status after {r.TotalMilliseconds:F0} ms" : string.Empty));
            if (k < kills)
            {
                await Task.Delay(TimeSpan.FromSeconds(35));
            }
        }

        serving.Sort();
        Console.WriteLine($"recovery: kill -9 → serving over {kills} kills: median {serving[serving.Count / 2]:F0} ms, max {serving[^1]:F0} ms");
        return (serving[serving.Count / 2], serving[^1]);
    });

// Submit → assigned on an idle fleet, as a client sees it: one job at a time to earth (zero-duration, so no job waits for
// a slot), timed from the POST until GET /api/jobs/{id} first shows it running or finished. The 202 comes once the router
// journaled the job; with dispatch in the same step the first look already finds it assigned.
static Task<(double P50Ms, double P99Ms)> Latency(OwnerClient owner, int jobs) => BenchFleet.WithParametersAsync(owner, [("execution.timeScale", 0)], async () =>
    {
        var run = Guid.NewGuid().ToString("N")[..6];
        var times = new List<double>(jobs);
        var atFirstLook = 0;
        for (var i = 0; i < jobs; i++)
        {
            var id = $"lat{run}-{i}";
            var clock = Stopwatch.StartNew();
            await owner.PostAsync("/api/jobs", Body(new { shard = "earth", jobs = new[] { new { id, template = "governance-review" } } }));
            for (var look = 1; ; look++)
            {
                var status = (await owner.GetAsync($"/api/jobs/{id}")).GetProperty("status").GetString();
                if (status is "running" or "completed" or "failed")
                {
                    atFirstLook += look == 1 ? 1 : 0;
                    break;
                }

                await Task.Delay(1);
            }

            times.Add(clock.Elapsed.TotalMilliseconds);
            await Task.Delay(20);
        }

        times.Sort();
        Console.WriteLine($"latency: submit → assigned (seen by the client) over {jobs} jobs: p50 {times[times.Count / 2]:F1} ms, p99 {times[(int)(times.Count * 0.99)]:F1} ms, max {times[^1]:F1} ms; assigned by the first look after the 202: {atFirstLook} of {jobs}");
        return (times[times.Count / 2], times[(int)(times.Count * 0.99)]);
    });

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
static long Memory()
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
    return all.Sum(p => p.Pss);
}

// Every live figure in one run, the peers last (on the fleet's servers, after the fleet's own figures), then one table
// with issue 9's target beside each, and the fabric's zero-duration rate against each peer's (the simulated drill has
// its own command: bench/simulate-drill.sh; see docs/benchmarks.md).
static async Task All(OwnerClient owner)
{
    var idlePss = Memory();
    var latency = await Latency(owner, 200);
    var raw = await RawBrokerBench.RunAsync(50_000);
    var throughput = await Throughput(owner, 20_000);
    var drill = await DrillBench.RunAsync(owner, 10_000);
    var afterPss = Memory();
    var recovery = await Recovery(owner, "earth");
    var peers = await PeerBench.RunAsync(PeerServers.Resolve(null, null), 20_000);
    Console.WriteLine();
    Console.WriteLine("| figure | measured | target |");
    Console.WriteLine("|---|---|---|");
    Console.WriteLine($"| raw RabbitMQ, persistent + confirms, one at a time | {raw.OneAtATime:F0} msg/s | reference |");
    Console.WriteLine($"| raw RabbitMQ, persistent + confirms, {RawBrokerBench.InFlight} in flight | {raw.Pipelined:F0} msg/s | reference |");
    Console.WriteLine($"| zero-duration jobs end to end (20,000) | {throughput:F0} jobs/s, {throughput / raw.Pipelined:F3} of raw pipelined | ≥ 5,000 jobs/s and ≥ 0.25 of raw |");
    Console.WriteLine($"| submit → assigned, idle (200 jobs) | p50 {latency.P50Ms:F1} ms, p99 {latency.P99Ms:F1} ms | p50 ≤ 5 ms |");
    Console.WriteLine($"| kill -9 of router earth → serving (5 kills) | " +
                      (recovery is { } r ? $"median {r.MedianMs:F0} ms, max {r.MaxMs:F0} ms" : "did not serve within 2 min") + " | median ≤ 1.0 s, max ≤ 1.5 s |");
    Console.WriteLine($"| 40,000-job drill at time scale 1 | {drill.WallSeconds:F1} s; slot ceiling {drill.CeilingSeconds:F1} s ({drill.BoundBy}); utilisation {drill.Utilisation:P0}" +
                      (drill.AcceptanceFailures == 0 ? "; every acceptance check holds" : $"; {drill.AcceptanceFailures} acceptance check(s) FAILED") + " | utilisation ≥ 90 %, every check holding |");
    Console.WriteLine($"| every process's PSS, idle / after 20,000 zero-duration jobs and the drill | {idlePss} MB / {afterPss} MB | ≤ 1,300 MB / ≤ 1,600 MB |");
    foreach (var peer in peers.Peers)
    {
        Console.WriteLine($"| {peer.Peer}, no-op jobs ({peer.Jobs:N0}; Redis {peers.RedisPersistence}) | {peer.JobsPerSecond:F0} jobs/s; the fabric's zero-duration rate is {throughput / peer.JobsPerSecond:F2} of it | reference: {peer.Promise} |");
    }
}

static JsonElement Shard(JsonElement status, string shard) =>
    status.GetProperty("shards").EnumerateArray().Single(s => s.GetProperty("id").GetString() == shard);

// A request body from an anonymous object (the bench is not published native, so reflection-based JSON is fine here).
static System.Text.Json.Nodes.JsonObject Body(object value) => JsonSerializer.SerializeToNode(value, value.GetType(), JsonSerializerOptions.Web)!.AsObject();
