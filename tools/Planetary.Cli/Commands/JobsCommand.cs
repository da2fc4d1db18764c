using System.CommandLine;
using System.Text.Json;
using static Planetary.Cli.Commands.OwnerCommands;

namespace Planetary.Cli.Commands;

/// <summary><c>planetary jobs get ID</c> (where a job is, its attempts, outcome and timeline) and <c>planetary jobs cancel ID</c>.</summary>
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
                Console.WriteLine(JsonSerializer.Serialize(job, new JsonSerializerOptions { WriteIndented = true }));
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

        return new Command("jobs", "Find a job and act on it.") { get, cancel };
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
