using System.CommandLine;
using System.Text.Json;
using Spectre.Console;
using static Planetary.Cli.Commands.OwnerCommands;

namespace Planetary.Cli.Commands;

/// <summary>
/// <c>planetary status [--mermaid] [--watch]</c>: the fleet as its services report it; with <c>--watch</c> it keeps
/// reading, redrawing in place on a terminal and printing a fresh block each time otherwise, until Ctrl+C.
/// </summary>
public static class StatusCommand
{
    public static Command Create()
    {
        var mermaid = new Option<bool>("--mermaid") { Description = "Print the live topology as Mermaid instead of the table." };
        var watch = new Option<bool>("--watch") { Description = "Keep showing the status, every two seconds, until Ctrl+C." };
        var plain = new Option<bool>("--plain") { Description = "With --watch: print plain blocks even on a terminal." };
        var command = new Command("status", "Show shards, nodes, parameter convergence and dead letters.") { mermaid, watch, plain }.WithConnection();
        command.SetAction((parse, cancellation) => CommonOptions.Guard(async () =>
        {
            using var client = CommonOptions.Client(parse);
            if (parse.GetValue(mermaid))
            {
                Console.Write(await client.GetTextAsync("/api/topology/mermaid"));
                return 0;
            }

            var lines = Lines(await client.GetAsync("/api/status"));
            if (!parse.GetValue(watch))
            {
                lines.ForEach(Console.WriteLine);
                return 0;
            }

            try
            {
                if (Terminal.CanRedraw(parse.GetValue(plain)))
                {
                    await AnsiConsole.Live(new Text(string.Join('\n', lines))).StartAsync(async live =>
                    {
                        while (true)
                        {
                            await Task.Delay(DrillCommand.PollInterval, cancellation);
                            live.UpdateTarget(new Text(string.Join('\n', Lines(await client.GetAsync("/api/status")))));
                        }
                    });
                }

                while (true)
                {
                    lines.ForEach(Console.WriteLine);
                    Console.WriteLine();
                    await Task.Delay(DrillCommand.PollInterval, cancellation);
                    lines = Lines(await client.GetAsync("/api/status"));
                }
            }
            catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
            {
                return 0;
            }
        }));
        return command;
    }

    /// <summary>The status as the lines the CLI prints.</summary>
    public static List<string> Lines(JsonElement status)
    {
        var lines = new List<string>();
        var parameters = status.GetProperty("parameters");
        lines.Add($"Fabric {(status.GetProperty("paused").GetBoolean() ? "PAUSED" : "running")}; parameters version {Text(parameters, "version")}, " +
                          (parameters.GetProperty("converged").GetBoolean() ? "applied by every service" : "NOT yet applied by: " +
                              string.Join(", ", parameters.GetProperty("services").EnumerateArray().Where(s => !s.GetProperty("converged").GetBoolean()).Select(s => Text(s, "service")))));
        lines.Add("");
        lines.Add($"  {"shard",-6} {"state",-8} {"queued",7} {"running",8} {"moving",7} {"completed",10} {"failed",7} {"spilled",8} {"restarts",9}");
        foreach (var s in status.GetProperty("shards").EnumerateArray())
        {
            var state = !s.GetProperty("reporting").GetBoolean() ? "SILENT" : s.GetProperty("paused").ValueKind == JsonValueKind.True ? "paused" : "running";
            lines.Add($"  {Text(s, "id"),-6} {state,-8} {Text(s, "queued"),7} {Text(s, "running"),8} {Text(s, "inTransfer"),7} {Text(s, "completed"),10} {Text(s, "failed"),7} {Text(s, "spilledOut"),8} {Text(s, "recoveries"),9}");
        }

        lines.Add("");
        lines.Add($"  {"node",-18} {"shard",-6} {"state",-8} {"running",8} {"slots",6} {"succeeded",10} {"failed",7}");
        foreach (var n in status.GetProperty("nodes").EnumerateArray())
        {
            var agent = n.GetProperty("agent");
            lines.Add($"  {Text(n, "id"),-18} {Text(n, "shard"),-6} {Text(n, "state"),-8} {Text(n, "runningByRouter"),8} {Text(n, "slots"),6} {Text(agent, "succeeded"),10} {Text(agent, "failed"),7}");
        }

        var dead = status.GetProperty("deadLetters");
        lines.Add("");
        lines.Add(dead.GetProperty("available").GetBoolean()
            ? $"Dead letters: {Text(dead, "total")}" + (dead.GetProperty("total").GetInt64() == 0 ? "" : " — " + string.Join(", ",
                dead.GetProperty("queues").EnumerateArray().Where(q => q.GetProperty("faulted").GetInt64() + q.GetProperty("skipped").GetInt64() > 0)
                    .Select(q => $"{Text(q, "errorQueue")}: {Text(q, "faulted")}")))
            : $"Dead letters: unknown ({Text(dead, "problem")})");
        return lines;
    }
}
