using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using static Planetary.Cli.Commands.OwnerCommands;

namespace Planetary.Cli.Commands;

/// <summary>
/// <c>planetary jobs get ID</c> (where a job is, its attempts, outcome and timeline), <c>jobs list</c> (by state, shard and
/// template, newest first), <c>jobs cancel ID</c> and <c>jobs requeue</c> (failed jobs, by id or all of them).
/// </summary>
public static class JobsCommand
{
    public static Command Create()
    {
        var id = new Argument<string>("id") { Description = "The job's id." };
        var json = new Option<bool>("--json") { Description = "Print the API's JSON as it is." };
        var get = new Command("get", "Show where a job is, its attempts, outcome and timeline.") { id, json }.WithConnection();
        get.SetAction(parse => CommonOptions.Guard(async () =>
        {
            using var client = CommonOptions.Client(parse);
            var job = await client.GetAsync($"/api/jobs/{Uri.EscapeDataString(parse.GetValue(id)!)}");
            if (parse.GetValue(json))
            {
                Console.WriteLine(JsonSerializer.Serialize(job, CliJson.Default.JsonElement));
                return 0;
            }

            Print(job, client.BaseUrl);
            return 0;
        }));

        var cancelId = new Argument<string>("id") { Description = "The job's id." };
        var cancel = new Command("cancel", "Ask the router holding a job to cancel it (no effect if it finishes first).") { cancelId }.WithConnection();
        cancel.SetAction(parse => CommonOptions.Guard(async () =>
        {
            using var client = CommonOptions.Client(parse);
            var jobId = parse.GetValue(cancelId)!;
            var result = await client.PostAsync($"/api/jobs/{Uri.EscapeDataString(jobId)}/cancel");
            Console.WriteLine($"asked {Text(result, "shard")} to cancel {Text(result, "jobId")}; `planetary jobs get {jobId}` shows when it takes effect");
            return 0;
        }));

        return new Command("jobs", "Find jobs and act on them.") { get, List(), cancel, Requeue() };
    }

    private static Command List()
    {
        var state = new Option<string?>("--state") { Description = "Only jobs in this state: queued, running, moving, completed, failed, cancelled or rejected." };
        var shard = new Option<string?>("--shard") { Description = "Only jobs on this shard (e.g. earth)." };
        var template = new Option<string?>("--template") { Description = "Only jobs of this template (e.g. governance-review)." };
        var limit = new Option<int>("--limit") { Description = "How many jobs to show (newest first); pages are fetched until there are this many.", DefaultValueFactory = _ => 50 };
        var json = new Option<bool>("--json") { Description = "Print the jobs as JSON lines (one job per line)." };
        var list = new Command("list", "List jobs by state, shard and template, newest first.") { state, shard, template, limit, json }.WithConnection();
        list.SetAction(parse => CommonOptions.Guard(async () =>
        {
            using var client = CommonOptions.Client(parse);
            var wanted = Math.Max(1, parse.GetValue(limit));
            var filter = string.Join("&", new[] { ("state", parse.GetValue(state)), ("shard", parse.GetValue(shard)), ("template", parse.GetValue(template)) }
                .Where(f => !string.IsNullOrEmpty(f.Item2)).Select(f => $"{f.Item1}={Uri.EscapeDataString(f.Item2!)}"));
            var jobs = new List<JsonElement>();
            string? cursor = null;
            do
            {
                var query = $"limit={Math.Min(500, wanted - jobs.Count)}" + (filter.Length > 0 ? "&" + filter : "") + (cursor is null ? "" : $"&cursor={Uri.EscapeDataString(cursor)}");
                var page = await client.GetAsync($"/api/jobs?{query}");
                jobs.AddRange(page.GetProperty("jobs").EnumerateArray().Select(j => j.Clone()));
                cursor = page.GetProperty("nextCursor") is { ValueKind: JsonValueKind.String } next ? next.GetString() : null;
            }
            while (cursor is not null && jobs.Count < wanted);

            jobs = jobs.Take(wanted).ToList();
            if (parse.GetValue(json))
            {
                jobs.ForEach(j => Console.WriteLine(j.GetRawText()));
                return 0;
            }

            Console.WriteLine($"  {"job",-40} {"state",-9} {"shard",-6} {"template",-22} {"since (UTC)",-19} {"attempts",8}  reason");
            foreach (var j in jobs)
            {
                var since = DateTimeOffset.FromUnixTimeMilliseconds(j.GetProperty("sinceMs").GetInt64()).UtcDateTime;
                Console.WriteLine($"  {Text(j, "id"),-40} {Text(j, "status"),-9} {Text(j, "shard"),-6} {Text(j, "template"),-22} {since:yyyy-MM-dd HH:mm:ss} {Text(j, "attempts"),8}  {Text(j, "reason")}");
            }

            Console.WriteLine(jobs.Count == 0 ? "no jobs match" : $"{jobs.Count} job(s){(cursor is null ? "" : $"; more match (--limit {wanted * 2} shows more)")}");
            return 0;
        }));
        return list;
    }

    private static Command Requeue()
    {
        var ids = new Argument<string[]>("ids") { Description = "The failed jobs to requeue (or --failed for all of them).", Arity = ArgumentArity.ZeroOrMore };
        var failed = new Option<bool>("--failed") { Description = "Every failed job (narrow it with --shard and --template)." };
        var shard = new Option<string?>("--shard") { Description = "With --failed: only jobs that failed on this shard." };
        var template = new Option<string?>("--template") { Description = "With --failed: only jobs of this template." };
        var dryRun = new Option<bool>("--dry-run") { Description = "Only say how many would be requeued." };
        var requeue = new Command("requeue", "Put failed jobs back in the queue of the shard they failed on, with a fresh allowance of attempts.") { ids, failed, shard, template, dryRun }.WithConnection();
        requeue.SetAction(parse => CommonOptions.Guard(async () =>
        {
            var named = parse.GetValue(ids) ?? [];
            if ((named.Length > 0) == parse.GetValue(failed))
            {
                Console.Error.WriteLine("Name the failed jobs to requeue (planetary jobs requeue ID...), or give --failed for all of them; not both.");
                return 2;
            }

            using var client = CommonOptions.Client(parse);
            var body = named.Length > 0
                ? new JsonObject { ["ids"] = new JsonArray([.. named.Select(n => JsonValue.Create(n))]), ["dryRun"] = parse.GetValue(dryRun) }
                : new JsonObject { ["state"] = "failed", ["shard"] = parse.GetValue(shard), ["template"] = parse.GetValue(template), ["dryRun"] = parse.GetValue(dryRun) };
            var result = await client.PostAsync("/api/jobs/requeue", body);
            var shards = string.Join(", ", result.GetProperty("shards").EnumerateObject().Select(s => $"{s.Value.GetInt32()} on {s.Name}"));
            var count = result.GetProperty("count").GetInt32();
            Console.WriteLine(parse.GetValue(dryRun)
                ? $"{count} failed job(s) would be requeued{(shards.Length == 0 ? "" : $" ({shards})")}; nothing was changed"
                : $"requeued {count} failed job(s){(shards.Length == 0 ? "" : $" ({shards})")}; `planetary jobs list --state queued` shows them");
            foreach (var skipped in result.GetProperty("notRequeued").EnumerateArray())
            {
                Console.WriteLine($"  not requeued: {Text(skipped, "id")}: {Text(skipped, "reason")}");
            }

            return 0;
        }));
        return requeue;
    }

    private static void Print(JsonElement job, string baseUrl)
    {
        var outcome = job.TryGetProperty("outcome", out var o) && o.ValueKind == JsonValueKind.Object ? o : (JsonElement?)null;
        var where = Text(job, "node") is { Length: > 0 } node ? $"{Text(job, "shard")} / {node}" : Text(job, "shard");
        Console.WriteLine($"Job {Text(job, "id")}: {Text(job, "status")} on {(where.Length == 0 ? "—" : where)}, {Text(job, "attempts")} attempt(s)");
        if (outcome is { } done)
        {
            var reason = Text(done, "reason");
            Console.WriteLine($"  outcome   {Text(done, "kind")}{(reason.Length == 0 ? "" : $": {reason}")} (template {Text(done, "template")}, {Text(done, "hops")} hop(s), from {Text(done, "originShard")})");
            if (Text(done, "traceParent").Split('-') is [_, var traceId, ..])
            {
                Console.WriteLine($"  trace     {traceId} (Aspire dashboard → Traces)");
            }
        }

        Console.WriteLine();
        Console.WriteLine($"  {"time (UTC)",-12} {"tick",7}  {"event",-14} {"shard",-6} {"node",-18} {"attempt",7}  detail");
        foreach (var e in job.GetProperty("timeline").EnumerateArray())
        {
            var at = DateTimeOffset.FromUnixTimeMilliseconds(e.GetProperty("atMs").GetInt64()).UtcDateTime;
            Console.WriteLine($"  {at:HH:mm:ss.fff} {Text(e, "tick"),7}  {Text(e, "event"),-14} {Text(e, "shard"),-6} {Text(e, "node"),-18} {Text(e, "attempt"),7}  {Text(e, "detail")}");
        }

        Console.WriteLine();
        Console.WriteLine($"In the console: {baseUrl}/#jobs/{Uri.EscapeDataString(Text(job, "id"))}");
    }
}
