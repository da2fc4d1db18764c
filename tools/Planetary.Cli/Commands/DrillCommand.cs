using System.CommandLine;
using System.Text.Json;
using Planetary.Fabric.Journal;
using Planetary.Fabric.Reporting;
using static Planetary.Cli.Commands.OwnerCommands;

namespace Planetary.Cli.Commands;

/// <summary><c>planetary drill</c>: the acceptance drill on the live fleet, with live progress and the summary at the end.</summary>
public static class DrillCommand
{
    public static Command Create()
    {
        var jobs = new Option<int>("--jobs-per-shard") { Description = "Jobs submitted to each shard.", DefaultValueFactory = _ => 10_000 };
        var seed = new Option<ulong>("--seed") { Description = "Seed of the job stream and the fault plan.", DefaultValueFactory = _ => 42 };
        var even = new Option<bool>("--even") { Description = "Even demand across shards (default: uneven, Earth heaviest)." };
        var command = new Command("drill", "Run the acceptance drill on the live fleet: seeded jobs, a node outage, a router crash, an owner change.")
        {
            jobs, seed, even,
        }.WithConnection();
        command.SetAction(parse => CommonOptions.Guard(async () =>
        {
            using var client = CommonOptions.Client(parse);
            var started = await client.PostAsync("/api/drills", new { jobsPerShard = parse.GetValue(jobs), seed = parse.GetValue(seed), demand = parse.GetValue(even) ? "even" : "uneven" });
            var id = Text(started, "id");
            Console.WriteLine($"Drill {id} started: {parse.GetValue(jobs)} jobs per shard, seed {parse.GetValue(seed)} (follow it with GET {client.BaseUrl}/api/drills/{id})");
            var shown = 0;
            while (true)
            {
                await Task.Delay(TimeSpan.FromSeconds(2));
                var progress = await client.GetAsync($"/api/drills/{Uri.EscapeDataString(id)}");
                var events = progress.GetProperty("events").EnumerateArray().Select(e => e.GetString()).ToArray();
                foreach (var e in events.Skip(shown))
                {
                    Console.WriteLine($"  * {e}");
                }

                shown = events.Length;
                var state = Text(progress, "state");
                Console.WriteLine($"  [{state}] accepted {Text(progress, "accepted")}, finished {Text(progress, "finished")} — " + string.Join("  ",
                    progress.GetProperty("shards").EnumerateObject().Select(s => $"{s.Name} {Text(s.Value, "finished")}/{Text(s.Value, "submitted")} q{Text(s.Value, "queued")}")));
                if (state is "completed" or "Completed" or "2")
                {
                    return Finish(progress);
                }

                if (state is "failed" or "Failed" or "3")
                {
                    Console.Error.WriteLine($"error: the drill failed: {Text(progress, "error")}");
                    return 1;
                }
            }
        }));
        return command;
    }

    private static int Finish(JsonElement progress)
    {
        var summary = progress.GetProperty("summary").Deserialize<DrillSummary>(FabricJson.Options)!;
        Console.WriteLine();
        SummaryTable.Print(Console.Out, summary, null);
        var failures = progress.GetProperty("acceptanceFailures").EnumerateArray().Select(f => f.GetString()).ToArray();
        Console.WriteLine();
        Console.WriteLine(failures.Length == 0 ? "Acceptance: every check holds." : "Acceptance FAILED:\n  - " + string.Join("\n  - ", failures));
        Console.WriteLine($"Report bundle: {Text(progress, "reportDirectory")}");
        return failures.Length == 0 ? 0 : 1;
    }
}
