using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Planetary.Cli.Chaos;
using Planetary.Fabric.Chaos;
using Planetary.Fabric.Drills;
using Planetary.Fabric.Manifest;
using Planetary.Fabric.Runtime.Chaos;

namespace Planetary.Cli.Commands;

/// <summary>
/// <c>planetary chaos</c>: a live nemesis against the running fleet. A steady seeded workload (with duplicate submits
/// and cancels) runs while faults strike one after another: kill -9 or SIGSTOP/SIGCONT of a random service, kill -9 of
/// RabbitMQ or Redis, a second router for a shard, a full-fleet restart. Then the checker reads every job back and says
/// whether a guarantee broke (exit code 1 if one did).
/// </summary>
public static class ChaosCommand
{
    public static Command Create()
    {
        var minutes = new Option<double>("--minutes") { Description = "For how long faults are injected, and every kind at least once however short (the drain and the check come after).", DefaultValueFactory = _ => 5 };
        var quiet = new Option<string>("--quiet-seconds") { Description = "Quiet time before each fault, after the fleet served again: MIN-MAX seconds.", DefaultValueFactory = _ => "1-6" };
        var pause = new Option<string>("--pause-seconds") { Description = "How long a pause-service fault stops its process: MIN-MAX seconds.", DefaultValueFactory = _ => "2-8" };
        var seed = new Option<string>("--seed") { Description = "Seed of the faults and the workload: a whole number or any text.", DefaultValueFactory = _ => "42" };
        var kinds = new Option<string?>("--faults") { Description = $"Fault kinds, comma-separated (default all: {ChaosFaultNames.Known})." };
        var drain = new Option<double>("--drain-minutes") { Description = "How long every job taken may take to finish after the last fault.", DefaultValueFactory = _ => 5 };
        var output = new Option<string?>("--out") { Description = "Directory for the run's history and the output of processes it starts (default .tmp/chaos/RUN)." };
        var manifestPath = new Option<string?>("--manifest") { Description = "The fleet's owner manifest, for its shards and job templates (default: config/fabric.json)." };
        var command = new Command("chaos", "Attack the running fleet with seeded faults while it works, then check that no job was lost or run twice.")
        {
            minutes, seed, kinds, quiet, pause, drain, output, manifestPath,
        }.WithConnection();
        command.SetAction(async (parse, cancellationToken) =>
        {
            if (!DrillSeed.TryParse(parse.GetValue(seed), out var seedValue, out var seedText, out var seedProblem))
            {
                return Usage($"--seed: {seedProblem}");
            }

            var duration = parse.GetValue(minutes);
            if (duration is <= 0 or > 24 * 60)
            {
                return Usage("--minutes must be more than 0 and at most 1440");
            }

            if (!TryRange(parse.GetValue(quiet)!, out var quietMs) || !TryRange(parse.GetValue(pause)!, out var pauseMs))
            {
                return Usage("--quiet-seconds and --pause-seconds take MIN-MAX in seconds, e.g. 1-6 (0 to 600, MIN at most MAX)");
            }

            var faultKinds = new List<ChaosFaultKind>();
            foreach (var name in (parse.GetValue(kinds) ?? string.Join(',', ChaosFaultNames.All.Select(ChaosFaultNames.Of))).Split(',', StringSplitOptions.RemoveEmptyEntries))
            {
                if (!ChaosFaultNames.TryParse(name, out var kind))
                {
                    return Usage($"--faults: '{name}' is not a fault kind (kinds: {ChaosFaultNames.Known})");
                }

                faultKinds.Add(kind);
            }

            FabricManifest manifest;
            try
            {
                manifest = parse.GetValue(manifestPath) is { } path ? ManifestLoader.LoadFile(path) : ManifestLoader.LoadDefault();
            }
            catch (InvalidManifestException e)
            {
                return Usage(e.Message);
            }

            var runId = DateTimeOffset.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);
            var directory = Path.GetFullPath(parse.GetValue(output) ?? Path.Combine(".tmp", "chaos", runId));
            var options = new ChaosOptions(TimeSpan.FromMinutes(duration), seedValue, runId, faultKinds, ChaosTemplates.ByShard(manifest))
            {
                DrainDeadline = TimeSpan.FromMinutes(parse.GetValue(drain)),
                Plan = new ChaosPlanOptions(quietMs.Min, quietMs.Max, pauseMs.Min, pauseMs.Max),
            };

            using var client = CommonOptions.Client(parse);
            void Log(string line) => Console.WriteLine($"{DateTimeOffset.Now:HH:mm:ss} {line}");
            Log($"chaos run {runId} against {client.BaseUrl}: {duration:0.##} min of faults ({string.Join(", ", faultKinds.Select(ChaosFaultNames.Of))}), seed {DrillSeed.Describe(seedValue, seedText)}; output in {directory}");

            ChaosResult result;
            int? appHost;
            await using (var fleet = new LiveChaosFleet(client, directory, Log))
            {
                try
                {
                    FleetMap.Discover(new Uri(client.BaseUrl));
                }
                catch (ChaosFleetUnavailableException e)
                {
                    Console.Error.WriteLine($"error: {e.Message}. Start the fleet first: bash scripts/run-fabric.sh");
                    return 2;
                }

                try
                {
                    result = await new ChaosEngine(fleet, TimeProvider.System, Log).RunAsync(options, cancellationToken);
                }
                catch (InvalidOperationException e)
                {
                    // An answer no retry can change (a refused token, a bad request): the run cannot go on.
                    Console.Error.WriteLine($"error: the chaos run stopped: {e.Message}");
                    return 2;
                }

                appHost = fleet.AppHost;
            }

            Directory.CreateDirectory(directory);
            var historyFile = Path.Combine(directory, "history.json");
            await File.WriteAllTextAsync(historyFile, JsonSerializer.Serialize(new ChaosHistoryFile(result.Verdict, result.History), CliJson.Default.ChaosHistoryFile), cancellationToken);
            Console.WriteLine();
            foreach (var line in result.Verdict.Lines())
            {
                Console.WriteLine(line);
            }

            Console.WriteLine($"wall time {result.Wall.TotalMinutes:F1} min; history in {historyFile}");
            if (appHost is { } pid && result.History.Faults.Any(f => f.Fault.Kind == ChaosFaultKind.RestartFleet))
            {
                Console.WriteLine($"the fleet now runs detached under app host pid {pid} (its output is in {directory}); stop it with: kill {pid}");
            }

            return result.Verdict.Holds ? 0 : 1;
        });
        return command;
    }

    /// <summary>"MIN-MAX" seconds (or one number) as milliseconds.</summary>
    private static bool TryRange(string text, out (int Min, int Max) milliseconds)
    {
        milliseconds = default;
        var parts = text.Split('-', 2);
        if (!double.TryParse(parts[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var min) ||
            !double.TryParse(parts[^1], NumberStyles.Float, CultureInfo.InvariantCulture, out var max) ||
            min < 0 || max > 600 || min > max)
        {
            return false;
        }

        milliseconds = ((int)(min * 1000), (int)(max * 1000));
        return true;
    }

    private static int Usage(string problem)
    {
        Console.Error.WriteLine($"error: {problem}");
        return 2;
    }
}
