using System.CommandLine;
using System.Diagnostics;
using Planetary.Fabric.Drills;
using Planetary.Fabric.Manifest;
using Planetary.Fabric.Reporting;
using Planetary.Fabric.Simulation;
using Planetary.Reporting;

namespace Planetary.Cli.Commands;

/// <summary><c>planetary simulate</c>: the acceptance drill in virtual time, with its report bundle.</summary>
public static class SimulateCommand
{
    public static Command Create()
    {
        var jobs = new Option<int>("--jobs-per-shard") { Description = "Jobs submitted to each shard.", DefaultValueFactory = _ => 10_000 };
        var seed = new Option<string>("--seed") { Description = "Seed of the job stream, the faults and the bus: a whole number or any text (planetary-fabric).", DefaultValueFactory = _ => "42" };
        var output = new Option<string>("--out") { Description = "Directory for the report bundle.", DefaultValueFactory = _ => Path.Combine("reports", "latest") };
        var manifestPath = new Option<string?>("--manifest") { Description = "Owner manifest (default: the built-in config/fabric.json)." };
        var command = new Command("simulate", "Run the acceptance drill deterministically in virtual time (no broker needed).")
        {
            jobs, seed, output, manifestPath,
        };
        command.SetAction(parse =>
        {
            var jobsPerShard = parse.GetValue(jobs);
            if (jobsPerShard < 1 || jobsPerShard > 1_000_000)
            {
                Console.Error.WriteLine("error: --jobs-per-shard must be from 1 to 1000000");
                return 2;
            }

            if (!DrillSeed.TryParse(parse.GetValue(seed), out var seedValue, out var seedText, out var seedProblem))
            {
                Console.Error.WriteLine($"error: --seed: {seedProblem}");
                return 2;
            }

            FabricManifest manifest;
            try
            {
                var path = parse.GetValue(manifestPath);
                manifest = path is null ? ManifestLoader.LoadDefault() : ManifestLoader.LoadFile(path);
            }
            catch (InvalidManifestException e)
            {
                Console.Error.WriteLine($"error: {e.Message}");
                return 2;
            }

            var clock = Stopwatch.StartNew();
            SimulationResult result;
            try
            {
                result = new Simulation(SimulationOptions.AcceptanceDrill(manifest, jobsPerShard, seedValue, seedText)).Run();
            }
            catch (SimulationInvariantException e)
            {
                Console.Error.WriteLine($"INVARIANT BROKEN — {e.Message}");
                return 3;
            }

            var simulatedMs = clock.ElapsedMilliseconds;
            var directory = parse.GetValue(output)!;
            ReportBundleWriter.Write(directory, new ReportBundle(
                result.Summary, result.Nodes, result.OwnerLog, result.Checkpoints, TopologyDiagram.Render(manifest), result.Timeline));
            SummaryTable.Print(Console.Out, result.Summary, result.Nodes);
            Console.WriteLine();
            Console.WriteLine($"Report bundle: {Path.GetFullPath(directory)}  ({result.InvariantChecks} invariant checks, {result.MessagesSent} messages, {result.MessagesDuplicated} duplicated)");
            Console.WriteLine($"Wall time: {clock.ElapsedMilliseconds} ms ({simulatedMs} ms simulating, {clock.ElapsedMilliseconds - simulatedMs} ms writing the report)");
            var failures = AcceptanceChecks.Failures(result.Summary, result.Nodes);
            foreach (var failure in failures)
            {
                Console.Error.WriteLine($"ACCEPTANCE FAILED: {failure}");
            }

            return failures.Count == 0 ? 0 : 1;
        });
        return command;
    }
}
