using System.CommandLine;
using System.Text.Json;
using static Planetary.Cli.Commands.OwnerCommands;

namespace Planetary.Cli.Commands;

/// <summary><c>planetary status [--mermaid]</c>: the fleet as its services report it.</summary>
public static class StatusCommand
{
    public static Command Create()
    {
        var mermaid = new Option<bool>("--mermaid") { Description = "Print the live topology as Mermaid instead of the table." };
        var command = new Command("status", "Show shards, nodes, parameter convergence and dead letters.") { mermaid }.WithConnection();
        command.SetAction(parse => CommonOptions.Guard(async () =>
        {
            using var client = CommonOptions.Client(parse);
            if (parse.GetValue(mermaid))
            {
                Console.Write(await client.GetTextAsync("/api/topology/mermaid"));
                return 0;
            }

            Print(await client.GetAsync("/api/status"));
            return 0;
        }));
        return command;
    }

    private static void Print(JsonElement status)
    {
        var parameters = status.GetProperty("parameters");
        Console.WriteLine($"Fabric {(status.GetProperty("paused").GetBoolean() ? "PAUSED" : "running")}; parameters version {Text(parameters, "version")}, " +
                          (parameters.GetProperty("converged").GetBoolean() ? "applied by every service" : "NOT yet applied by: " +
                              string.Join(", ", parameters.GetProperty("services").EnumerateArray().Where(s => !s.GetProperty("converged").GetBoolean()).Select(s => Text(s, "service")))));
        Console.WriteLine();
        Console.WriteLine($"  {"shard",-6} {"state",-8} {"queued",7} {"running",8} {"moving",7} {"completed",10} {"failed",7} {"spilled",8} {"restarts",9}");
        foreach (var s in status.GetProperty("shards").EnumerateArray())
        {
            var state = !s.GetProperty("reporting").GetBoolean() ? "SILENT" : s.GetProperty("paused").ValueKind == JsonValueKind.True ? "paused" : "running";
            Console.WriteLine($"  {Text(s, "id"),-6} {state,-8} {Text(s, "queued"),7} {Text(s, "running"),8} {Text(s, "inTransfer"),7} {Text(s, "completed"),10} {Text(s, "failed"),7} {Text(s, "spilledOut"),8} {Text(s, "recoveries"),9}");
        }

        Console.WriteLine();
        Console.WriteLine($"  {"node",-18} {"shard",-6} {"state",-8} {"running",8} {"slots",6} {"succeeded",10} {"failed",7}");
        foreach (var n in status.GetProperty("nodes").EnumerateArray())
        {
            var agent = n.GetProperty("agent");
            Console.WriteLine($"  {Text(n, "id"),-18} {Text(n, "shard"),-6} {Text(n, "state"),-8} {Text(n, "runningByRouter"),8} {Text(n, "slots"),6} {Text(agent, "succeeded"),10} {Text(agent, "failed"),7}");
        }

        var dead = status.GetProperty("deadLetters");
        Console.WriteLine();
        Console.WriteLine(dead.GetProperty("available").GetBoolean()
            ? $"Dead letters: {Text(dead, "total")}" + (dead.GetProperty("total").GetInt64() == 0 ? "" : " — " + string.Join(", ",
                dead.GetProperty("queues").EnumerateArray().Where(q => q.GetProperty("faulted").GetInt64() + q.GetProperty("skipped").GetInt64() > 0)
                    .Select(q => $"{Text(q, "errorQueue")}: {Text(q, "faulted")}")))
            : $"Dead letters: unknown ({Text(dead, "problem")})");
    }
}
