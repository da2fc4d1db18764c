using System.CommandLine;
using System.Text.Json;
using Planetary.Fabric.Journal;
using Planetary.Fabric.Reporting;

namespace Planetary.Cli.Commands;

/// <summary><c>planetary report</c>: the summary of the latest report bundle (simulated or live).</summary>
public static class ReportCommand
{
    public static Command Create()
    {
        var directory = new Option<string>("--dir") { Description = "A report bundle directory.", DefaultValueFactory = _ => Path.Combine("reports", "latest") };
        var command = new Command("report", "Print the latest report bundle's summary.") { directory };
        command.SetAction(parse =>
        {
            var dir = parse.GetValue(directory)!;
            var summaryPath = Path.Combine(dir, "summary.json");
            if (!File.Exists(summaryPath))
            {
                Console.Error.WriteLine($"error: no report at {Path.GetFullPath(dir)} — run a drill first (planetary simulate, or planetary drill on the live fleet)");
                return 2;
            }

            var summary = JsonSerializer.Deserialize(File.ReadAllText(summaryPath), FabricJson.TypeInfo<DrillSummary>())!;
            var nodesPath = Path.Combine(dir, "nodes.json");
            var nodes = File.Exists(nodesPath) ? JsonSerializer.Deserialize(File.ReadAllText(nodesPath), FabricJson.TypeInfo<IReadOnlyList<NodeFigures>>()) : null;
            SummaryTable.Print(Console.Out, summary, nodes);
            var failures = AcceptanceChecks.Failures(summary, nodes ?? []);
            Console.WriteLine();
            Console.WriteLine(failures.Count == 0 ? "Acceptance: every check holds." : "Acceptance FAILED:\n  - " + string.Join("\n  - ", failures));
            Console.WriteLine($"Bundle: {Path.GetFullPath(dir)}");
            return failures.Count == 0 ? 0 : 1;
        });
        return command;
    }
}
