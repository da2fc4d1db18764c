using System.Diagnostics;
using Planetary.Fabric.Manifest;
using Planetary.Fabric.Simulation;

namespace Planetary.Bench;

/// <summary>
/// Growth in the simulator: the acceptance drill's plan (its outage, router crash and owner change) with <c>jobs</c>
/// zero-duration jobs, <c>jobs.retentionHours</c> 1 and <c>execution.timeScale</c> 0, then what the simulated Redis and
/// the routers still hold: snapshot sizes and tombstones by quarter of the run (flat if the routers' memory is bounded),
/// journal records and snapshots kept at the end, and the books and job ids kept at the end and once the retention
/// has passed.
/// </summary>
public static class SimulatedGrowthBench
{
    public static int Run(int jobs, ulong seed)
    {
        var genesis = ManifestLoader.LoadDefault();
        var manifest = genesis with { Execution = new ExecutionSettings(0), Jobs = new JobSettings(1) };
        var perShard = jobs / manifest.Shards.Count;
        var options = SimulationOptions.AcceptanceDrill(manifest, perShard, seed) with { RecordTimeline = false };
        var simulation = new Simulation(options);
        var clock = Stopwatch.StartNew();
        var result = simulation.Run();
        var wall = clock.Elapsed;
        var total = perShard * manifest.Shards.Count;
        var s = result.Summary;
        // The drill's guarantees, checked after every tick by the invariant checker (a broken one throws); its acceptance
        // checks (queue skew, the owner change's effect) are about time scale 1 and are not applied to zero-duration jobs.
        Console.WriteLine($"growth (simulated): {total} zero-duration jobs, seed {seed}, retention 1 h: {s.JobsCompleted} completed, {s.JobsFailed} failed, " +
                          $"{s.JobsLost} lost, {s.JobsUnfinished} unfinished in {s.DurationTicks} ticks; {wall.TotalSeconds:F1} s wall, {wall.TotalMicroseconds / total:F1} µs a job");

        var lastTick = result.Checkpoints.Count == 0 ? 1 : result.Checkpoints.Max(c => c.Tick);
        Console.WriteLine("growth (simulated): snapshots by quarter of the run (every shard)   median size   max size   max jobs   max tombstones");
        foreach (var quarter in Enumerable.Range(0, 4))
        {
            var inQuarter = result.Checkpoints.Where(c => c.Tick * 4 / (lastTick + 1) == quarter).ToArray();
            if (inQuarter.Length == 0)
            {
                continue;
            }

            var sizes = inQuarter.Select(c => c.SizeBytes).Order().ToArray();
            Console.WriteLine($"growth (simulated):   quarter {quarter + 1} ({inQuarter.Length,5} snapshots)                          " +
                              $"{sizes[sizes.Length / 2] / 1024.0,8:F0} KB {sizes[^1] / 1024.0,8:F0} KB {inQuarter.Max(c => c.Jobs),10} {inQuarter.Max(c => c.Tombstones),16}");
        }

        var store = simulation.Store;
        var (snapshots, snapshotBytes) = store.SnapshotsKept;
        Console.WriteLine($"growth (simulated): at the end: {store.JournalRecords} journal records, {snapshots} snapshots ({snapshotBytes / 1024.0:F0} KB), " +
                          $"{store.KeptOutcomes()} outcomes in the books, {store.KeptJobIds()} job ids known; " +
                          $"routers hold {simulation.DurableStates.Values.Sum(state => state.Jobs.Count)} jobs and {simulation.DurableStates.Values.Sum(state => state.Tombstones.Count)} tombstones");
        var later = TimeSpan.FromHours(1) + TimeSpan.FromSeconds(1);
        Console.WriteLine($"growth (simulated): once the retention has passed ({later.TotalSeconds:F0} s later): " +
                          $"{store.KeptOutcomes(later)} outcomes in the books, {store.KeptJobIds(later)} job ids known");
        return s.JobsLost == 0 && s.JobsUnfinished == 0 && store.KeptOutcomes(later) == 0 && store.KeptJobIds(later) == 0 ? 0 : 1;
    }
}
