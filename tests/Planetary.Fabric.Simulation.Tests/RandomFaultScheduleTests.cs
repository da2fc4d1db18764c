using Planetary.Fabric.Manifest;
using Xunit.Abstractions;

namespace Planetary.Fabric.Simulation.Tests;

/// <summary>
/// Seeded random fault schedules (see <see cref="RandomFaultSchedules"/>: a lossy, duplicating, reordering bus; node
/// outages and agent crashes; router kills; a second router of a shard; the checkpointer dying mid-round and a second
/// checkpointer; state-store and broker restarts; full-fleet restarts; clients resubmitting and cancelling; owner
/// changes including pauses) run through the real shells, with every invariant checked after every tick and every job
/// required to end. CI runs 1,000 schedules; set <c>PLANETARY_SIM_SCHEDULES</c> (and optionally
/// <c>PLANETARY_SIM_FIRST_SEED</c>) to run 100,000 locally. A failure names its seed; the seed replays it exactly.
/// </summary>
public sealed class RandomFaultScheduleTests(ITestOutputHelper output)
{
    private static readonly FabricManifest Manifest = ManifestLoader.LoadDefault();

    /// <summary>The seeds two at a time: a case runs its two schedules at once, one per core (each is independent).</summary>
    public static TheoryData<ulong[]> SeedPairs()
    {
        var pairs = new TheoryData<ulong[]>();
        foreach (var pair in SeedList().Chunk(2))
        {
            pairs.Add(pair);
        }

        return pairs;
    }

    private static IEnumerable<ulong> SeedList()
    {
        var count = int.TryParse(Environment.GetEnvironmentVariable("PLANETARY_SIM_SCHEDULES"), out var n) && n > 0 ? n : 1_000;
        var first = ulong.TryParse(Environment.GetEnvironmentVariable("PLANETARY_SIM_FIRST_SEED"), out var f) ? f : 1;
        for (var seed = first; seed < first + (ulong)count; seed++)
        {
            yield return seed;
        }
    }

    [Theory]
    [MemberData(nameof(SeedPairs))]
    public void Schedules_keep_every_invariant(ulong[] seeds)
    {
        var failures = new System.Collections.Concurrent.ConcurrentQueue<(ulong Seed, string Report)>();
        Parallel.ForEach(seeds, seed =>
        {
            if (FailureOf(seed) is { } report)
            {
                failures.Enqueue((seed, report));
            }
        });

        foreach (var (_, report) in failures.OrderBy(f => f.Seed))
        {
            output.WriteLine(report);
        }

        Assert.True(failures.IsEmpty, string.Join("\n", failures.OrderBy(f => f.Seed).Select(f => f.Report.Split('\n')[^1])));
    }

    /// <summary>Runs one schedule; null when it kept every rule, else what broke and how to replay it.</summary>
    private static string? FailureOf(ulong seed)
    {
        var options = RandomFaultSchedules.Create(Manifest, seed);
        var replay = $"Replay with: PLANETARY_SIM_FIRST_SEED={seed} PLANETARY_SIM_SCHEDULES=1 dotnet test --filter Schedules_keep_every_invariant";
        SimulationResult result;
        try
        {
            result = new Simulation(options).Run();
        }
        catch (SimulationInvariantException e)
        {
            return $"{replay}\nFaults: {options.Bus}; {string.Join("; ", options.Plan.NodeOutages)}; {string.Join("; ", options.Plan.RouterCrashes)}; " +
                   $"{string.Join("; ", options.Plan.OwnerChanges)}; {string.Join("; ", options.Faults ?? [])}\nseed {seed}: {e.Message}";
        }

        var s = result.Summary;
        var broken = new List<string>();
        if (s.JobsLost != 0)
        {
            broken.Add($"{s.JobsLost} jobs lost");
        }

        if (s.JobsUnfinished != 0)
        {
            broken.Add($"{s.JobsUnfinished} jobs never finished in {s.DurationTicks} ticks ({string.Join(" | ", s.Faults)})");
        }

        if (s.JobsSubmitted != s.JobsCompleted + s.JobsFailed + s.JobsCancelled)
        {
            broken.Add($"submitted {s.JobsSubmitted} != completed {s.JobsCompleted} + failed {s.JobsFailed} + cancelled {s.JobsCancelled}");
        }

        if (s.JobsSubmitted != options.Plan.JobsPerShard * Manifest.Shards.Count)
        {
            broken.Add($"submitted {s.JobsSubmitted}, planned {options.Plan.JobsPerShard * Manifest.Shards.Count}");
        }

        if (result.InvariantChecks < s.DurationTicks)
        {
            broken.Add("invariants were not checked every tick");
        }

        if (result.ReplayChecks < s.DurationTicks)
        {
            broken.Add("memory was not compared with the replayed journal every tick");
        }

        return broken.Count == 0 ? null : $"{replay}\nseed {seed}: {string.Join("; ", broken)}";
    }

    [Fact]
    public void The_schedules_really_inject_faults()
    {
        var schedules = SeedList().Select(seed => RandomFaultSchedules.Create(Manifest, seed)).ToArray();

        Assert.True(schedules.Count(s => s.Plan.RouterCrashes.Count > 0) > schedules.Length / 3, "router crashes");
        Assert.True(schedules.Count(s => s.Plan.NodeOutages.Count > 0) > schedules.Length / 3, "node outages");
        Assert.True(schedules.Count(s => s.Bus.DropRate > 0) > schedules.Length / 4, "message loss");
        Assert.True(schedules.Count(s => s.Bus.DuplicateRate > 0) > schedules.Length / 2, "redelivery");
        Assert.True(schedules.Count(s => s.Plan.OwnerChanges.Any(c => c.Path.EndsWith(".paused", StringComparison.Ordinal))) > schedules.Length / 5, "pauses");
        Assert.True(schedules.Count(s => s.Plan.OwnerChanges.Any(c => c.Path.EndsWith(".draining", StringComparison.Ordinal))) > schedules.Length / 5, "node drains");
        int With<T>() where T : SimulatedFault => schedules.Count(s => (s.Faults ?? []).OfType<T>().Any());
        Assert.True(With<SimulatedFault.AgentCrash>() > schedules.Length / 4, "agent crashes");
        Assert.True(With<SimulatedFault.SecondRouter>() > schedules.Length / 5, "second routers");
        Assert.True(With<SimulatedFault.CheckpointerCrash>() > schedules.Length / 5, "checkpointer crashes mid-round");
        Assert.True(With<SimulatedFault.SecondCheckpointer>() > schedules.Length / 8, "second checkpointers");
        Assert.True(With<SimulatedFault.StateStoreRestart>() > schedules.Length / 5, "state store restarts");
        Assert.True(schedules.Any(s => (s.Faults ?? []).OfType<SimulatedFault.StateStoreRestart>().Any(f => f.DuringCommit && f.CommitApplied)), "a store crash after a commit was applied");
        Assert.True(With<SimulatedFault.BrokerRestart>() > schedules.Length / 5, "broker restarts");
        Assert.True(With<SimulatedFault.FleetRestart>() > schedules.Length / 10, "full-fleet restarts");
        Assert.True(With<SimulatedFault.ClientResubmit>() > schedules.Length / 2, "resubmitting clients");
        Assert.True(With<SimulatedFault.ClientCancel>() > schedules.Length / 2, "cancelling clients");
    }
}
