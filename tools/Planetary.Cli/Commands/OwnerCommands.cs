using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Planetary.Cli.Commands;

/// <summary><c>planetary owner set &lt;path&gt; &lt;value&gt;</c>, <c>owner log</c>, <c>pause</c>, <c>resume</c>, <c>drain</c>.</summary>
public static class OwnerCommands
{
    public static Command Owner()
    {
        var path = new Argument<string>("path") { Description = "Parameter path, e.g. routers.spilloverBatch or nodes.MARS-ARES-02.concurrency." };
        var value = new Argument<string>("value") { Description = "New value: 64, 0.98, true, or a list as a,b or [\"a\",\"b\"]." };
        var set = new Command("set", "Change one parameter on the running fleet (validated, audited, applied by every service).") { path, value }.WithConnection();
        set.SetAction(parse => CommonOptions.Guard(async () =>
        {
            using var client = CommonOptions.Client(parse);
            var result = await client.PutAsync($"/api/parameters/{Uri.EscapeDataString(parse.GetValue(path)!)}", new JsonObject { ["value"] = ValueJson(parse.GetValue(value)!) });
            Console.WriteLine($"{parse.GetValue(path)}: {Text(result, "before")} → {Text(result, "after")} (version {Text(result, "version")})");
            return 0;
        }));

        var log = new Command("log", "Show the owner's audit log.").WithConnection();
        log.SetAction(parse => CommonOptions.Guard(async () =>
        {
            using var client = CommonOptions.Client(parse);
            var entries = await client.GetAsync("/api/owner-log");
            var list = entries.ValueKind == JsonValueKind.Array ? entries : entries.GetProperty("entries");
            Console.WriteLine($"  {"version",7}  {"time (UTC)",-19}  {"actor",-18}  {"path",-34}  change");
            foreach (var e in list.EnumerateArray())
            {
                var at = DateTimeOffset.FromUnixTimeMilliseconds(e.GetProperty("atMs").GetInt64()).UtcDateTime;
                Console.WriteLine($"  {Text(e, "version"),7}  {at:yyyy-MM-dd HH:mm:ss}  {Text(e, "actor"),-18}  {Text(e, "path"),-34}  {Text(e, "before")} → {Text(e, "after")}");
            }

            return 0;
        }));

        return new Command("owner", "Owner commands: change parameters, read the audit log.") { set, log };
    }

    public static Command Pause() => PauseOrResume("pause", "Stop assignment (whole fabric, or one shard); queued work stays.");

    public static Command Resume() => PauseOrResume("resume", "Restart assignment (whole fabric, or one shard), or end a node's drain (--node).");

    /// <summary><c>planetary drain NODE</c>: the node gets no new work; its running jobs finish, then it takes none until resumed.</summary>
    public static Command Drain()
    {
        var node = new Argument<string>("node") { Description = "The node to drain, e.g. EARTH-TITAN-01." };
        var command = new Command("drain", "Drain a node: no new work; its running jobs finish (re-queued without charge after routers.drainDeadlineTicks); then it takes no work until `planetary resume --node NODE`.") { node }.WithConnection();
        command.SetAction(parse => CommonOptions.Guard(async () =>
        {
            using var client = CommonOptions.Client(parse);
            var id = parse.GetValue(node)!;
            var result = await client.PostAsync($"/api/nodes/{Uri.EscapeDataString(id)}/drain");
            Console.WriteLine($"draining {id} (version {Text(result, "version")}): it gets no new work; `planetary status` shows it offline once its running jobs are done");
            return 0;
        }));
        return command;
    }

    private static Command PauseOrResume(string verb, string description)
    {
        var shard = new Option<string?>("--shard") { Description = "Only this shard (e.g. earth)." };
        var node = new Option<string?>("--node") { Description = "End this node's drain (resume only)." };
        var command = new Command(verb, description) { shard }.WithConnection();
        if (verb == "resume")
        {
            command.Options.Add(node);
        }

        command.SetAction(parse => CommonOptions.Guard(async () =>
        {
            using var client = CommonOptions.Client(parse);
            var target = parse.GetValue(shard);
            if (verb == "resume" && parse.GetValue(node) is { } nodeId)
            {
                if (target is not null)
                {
                    Console.Error.WriteLine("Give --shard or --node, not both.");
                    return 2;
                }

                var resumed = await client.PostAsync($"/api/nodes/{Uri.EscapeDataString(nodeId)}/resume");
                Console.WriteLine($"resumed {nodeId}: it takes work again (version {Text(resumed, "version")})");
                return 0;
            }

            var result = await client.PostAsync(target is null ? $"/api/{verb}" : $"/api/{verb}?shard={Uri.EscapeDataString(target)}");
            Console.WriteLine($"{(verb == "pause" ? "paused" : "resumed")} {target ?? "the whole fabric"} (version {Text(result, "version")})");
            return 0;
        }));
        return command;
    }

    /// <summary>The value as JSON: numbers and booleans as they are, lists as arrays, anything else as a string.</summary>
    private static JsonNode? ValueJson(string value)
    {
        var trimmed = value.Trim();
        if (trimmed.StartsWith('[') || trimmed is "true" or "false" || double.TryParse(trimmed, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out _))
        {
            try
            {
                return JsonNode.Parse(trimmed);
            }
            catch (JsonException)
            {
                // not JSON after all: send it as text and let owner control say what is wrong
            }
        }

        return JsonValue.Create(value);
    }

    internal static string Text(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v)
            ? v.ValueKind switch { JsonValueKind.String => v.GetString() ?? "", JsonValueKind.Null => "", _ => v.GetRawText() }
            : "";
}
