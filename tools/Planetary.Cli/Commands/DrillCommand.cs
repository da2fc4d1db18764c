using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using Planetary.Fabric.Journal;
using Planetary.Fabric.Reporting;
using Spectre.Console;
using static Planetary.Cli.Commands.OwnerCommands;

namespace Planetary.Cli.Commands;

/// <summary>
/// <c>planetary drill</c>: the acceptance drill on the live fleet. On a terminal its progress redraws in place (a bar per
/// shard and the latest events); otherwise it prints a plain line every two seconds. The summary comes at the end.
/// </summary>
public static class DrillCommand
{
    public static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(2);

    public static Command Create()
    {
        var jobs = new Option<int>("--jobs-per-shard") { Description = "Jobs submitted to each shard.", DefaultValueFactory = _ => 10_000 };
        var seed = new Option<string>("--seed") { Description = "Seed of the job stream and the fault plan: a whole number or any text (planetary-fabric).", DefaultValueFactory = _ => "42" };
        var even = new Option<bool>("--even") { Description = "Even demand across shards (default: uneven, Earth heaviest)." };
        var plain = new Option<bool>("--plain") { Description = "Print plain progress lines even on a terminal." };
        var command = new Command("drill", "Run the acceptance drill on the live fleet: seeded jobs, a node outage, a router crash, an owner change.")
        {
            jobs, seed, even, plain,
        }.WithConnection();
        command.SetAction(parse => CommonOptions.Guard(async () =>
        {
            using var client = CommonOptions.Client(parse);
            var started = await client.PostAsync("/api/drills", new JsonObject { ["jobsPerShard"] = parse.GetValue(jobs), ["seed"] = parse.GetValue(seed), ["demand"] = parse.GetValue(even) ? "even" : "uneven" });
            var id = Text(started, "id");
            Console.WriteLine($"Drill {id} started: {parse.GetValue(jobs)} jobs per shard, seed {parse.GetValue(seed)} (the console shows it at {client.BaseUrl}/#drills/{id})");
            var path = $"/api/drills/{Uri.EscapeDataString(id)}";
            var progress = Terminal.CanRedraw(parse.GetValue(plain)) ? await FollowLiveAsync(client, path) : await FollowPlainAsync(client, path);
            return State(progress) == "failed" ? Failed(progress) : Finish(progress);
        }));
        return command;
    }

    private static string State(JsonElement progress) => Text(progress, "state").ToLowerInvariant();

    private static bool Ended(JsonElement progress) => State(progress) is "completed" or "failed";

    /// <summary>Plain lines: every new event, then one progress line per poll.</summary>
    private static async Task<JsonElement> FollowPlainAsync(OwnerClient client, string path)
    {
        var shown = 0;
        while (true)
        {
            await Task.Delay(PollInterval);
            var progress = await client.GetAsync(path);
            var events = Events(progress);
            foreach (var e in events.Skip(shown))
            {
                Console.WriteLine($"  * {e}");
            }

            shown = events.Length;
            Console.WriteLine($"  [{State(progress)}] accepted {Text(progress, "accepted")}, finished {Text(progress, "finished")} — " + string.Join("  ",
                progress.GetProperty("shards").EnumerateObject().Select(s => $"{s.Name} {Text(s.Value, "finished")}/{Text(s.Value, "submitted")} q{Text(s.Value, "queued")}")));
            if (Ended(progress))
            {
                return progress;
            }
        }
    }

    /// <summary>On a terminal: one table that redraws in place until the drill ends.</summary>
    private static async Task<JsonElement> FollowLiveAsync(OwnerClient client, string path)
    {
        var progress = await client.GetAsync(path);
        await AnsiConsole.Live(Render(progress)).AutoClear(false).StartAsync(async live =>
        {
            while (!Ended(progress))
            {
                await Task.Delay(PollInterval);
                progress = await client.GetAsync(path);
                live.UpdateTarget(Render(progress));
            }
        });
        return progress;
    }

    private static Spectre.Console.Rendering.IRenderable Render(JsonElement progress)
    {
        var perShard = progress.GetProperty("jobsPerShard").GetInt64();
        var table = new Table().Border(TableBorder.Rounded)
            .Title($"drill {Markup.Escape(Text(progress, "id"))} — [bold]{Markup.Escape(State(progress))}[/]")
            .AddColumn("shard").AddColumn("finished").AddColumn(new TableColumn("done").RightAligned())
            .AddColumn(new TableColumn("accepted").RightAligned()).AddColumn(new TableColumn("queued").RightAligned());
        foreach (var shard in progress.GetProperty("shards").EnumerateObject())
        {
            var finished = shard.Value.GetProperty("finished").GetInt64();
            table.AddRow(
                Markup.Escape(shard.Name),
                $"[green]{Terminal.Bar(finished, perShard)}[/]",
                $"{finished}/{perShard}",
                Text(shard.Value, "accepted"),
                Text(shard.Value, "queued"));
        }

        var events = Events(progress).TakeLast(5).Select(e => new Markup($"[grey]* {Markup.Escape(e)}[/]"));
        return new Rows([table, .. events]);
    }

    private static string[] Events(JsonElement progress) => progress.GetProperty("events").EnumerateArray().Select(e => e.GetString() ?? "").ToArray();

    private static int Failed(JsonElement progress)
    {
        Console.Error.WriteLine($"error: the drill failed: {Text(progress, "error")}");
        return 1;
    }

    private static int Finish(JsonElement progress)
    {
        var summary = progress.GetProperty("summary").Deserialize(FabricJson.TypeInfo<DrillSummary>())!;
        Console.WriteLine();
        SummaryTable.Print(Console.Out, summary, null);
        var failures = progress.GetProperty("acceptanceFailures").EnumerateArray().Select(f => f.GetString()).ToArray();
        Console.WriteLine();
        Console.WriteLine(failures.Length == 0 ? "Acceptance: every check holds." : "Acceptance FAILED:\n  - " + string.Join("\n  - ", failures));
        Console.WriteLine($"Report bundle: {Text(progress, "reportDirectory")}");
        return failures.Length == 0 ? 0 : 1;
    }
}
