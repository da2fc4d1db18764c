using System.Text.Json;
using System.Text.Json.Nodes;
using Planetary.Cli;
using Planetary.Fabric.Journal;
using Planetary.Fabric.Reporting;

namespace Planetary.Bench;

/// <summary>
/// The acceptance drill on the running fleet at the manifest's time scale (1 by default): its wall time, the slot
/// ceiling the drill's report computes from the manifest and the plan, and the utilisation reached; every acceptance
/// check must hold for the figure to count.
/// </summary>
public static class DrillBench
{
    public sealed record Figures(double WallSeconds, double CeilingSeconds, string BoundBy, double? Utilisation, int AcceptanceFailures);

    public static async Task<Figures> RunAsync(OwnerClient owner, int jobsPerShard, string seed = "42")
    {
        var started = await owner.PostAsync("/api/drills", new JsonObject { ["jobsPerShard"] = jobsPerShard, ["seed"] = seed });
        var path = $"/api/drills/{Uri.EscapeDataString(started.GetProperty("id").GetString()!)}";
        JsonElement progress;
        do
        {
            await Task.Delay(TimeSpan.FromSeconds(1));
            progress = await owner.GetAsync(path);
        }
        while (progress.GetProperty("state").GetString() is not ("completed" or "failed"));

        if (progress.GetProperty("state").GetString() == "failed")
        {
            throw new InvalidOperationException($"the drill failed: {progress.GetProperty("error").GetString()}");
        }

        var summary = progress.GetProperty("summary").Deserialize(FabricJson.TypeInfo<DrillSummary>())!;
        var failures = progress.GetProperty("acceptanceFailures").GetArrayLength();
        var ceiling = summary.Ceiling ?? throw new InvalidOperationException("the drill's summary has no slot ceiling");
        var figures = new Figures(summary.Live!.WallTimeMs / 1000.0, ceiling.Ms / 1000.0, ceiling.BoundBy, ceiling.Utilisation, failures);
        Console.WriteLine($"drill: {summary.JobsSubmitted} jobs ({jobsPerShard} per shard, seed {seed}) in {figures.WallSeconds:F1} s; " +
                          $"slot ceiling {figures.CeilingSeconds:F1} s ({ceiling.BoundBy}); utilisation {figures.Utilisation:P0}; " +
                          $"{summary.JobsLost} lost; acceptance: {(failures == 0 ? "every check holds" : $"{failures} check(s) failed")}");
        return figures;
    }
}
