using System.Text;
using Planetary.Fabric.Drills;
using Planetary.Fabric.Manifest;
using Planetary.Fabric.Reporting;
using Planetary.Reporting;

namespace Planetary.Fabric.Simulation.Tests;

/// <summary>The acceptance drill in virtual time at full size: 10,000 jobs per shard.</summary>
public sealed class AcceptanceDrillTests(AcceptanceDrillTests.FullDrill drill) : IClassFixture<AcceptanceDrillTests.FullDrill>
{
    public sealed class FullDrill
    {
        public FabricManifest Manifest { get; } = ManifestLoader.LoadDefault();

        public SimulationResult Result { get; }

        public FullDrill() => Result = new Simulation(SimulationOptions.AcceptanceDrill(Manifest, 10_000, seed: 42)).Run();
    }

    [Fact]
    public void No_job_is_lost_and_every_job_ends_completed_or_failed()
    {
        var s = drill.Result.Summary;

        Assert.Equal(40_000, s.JobsSubmitted);
        Assert.Equal(0, s.JobsLost);
        Assert.Equal(0, s.JobsUnfinished);
        Assert.Equal(s.JobsSubmitted, s.JobsCompleted + s.JobsFailed);
    }

    [Fact]
    public void The_failed_assignment_rate_stays_below_two_percent_although_attempts_really_fail()
    {
        var s = drill.Result.Summary;

        Assert.InRange(s.FailedAssignmentRate, 0.0001, 0.0199);
        Assert.Equal(Math.Round((double)s.AttemptsFailed / s.Assignments, 6), s.FailedAssignmentRate);
    }

    [Fact]
    public void The_crashed_router_resumed_from_a_snapshot_and_replayed_a_journal_tail()
    {
        var s = drill.Result.Summary;

        Assert.True(s.ResumedFromCheckpoint);
        Assert.True(s.Checkpoints > 0);
        var restart = Assert.Single(s.Faults, f => f.StartsWith("router earth came back", StringComparison.Ordinal));
        Assert.Contains("restored snapshot earth@", restart);
        Assert.DoesNotContain("+ 0 journal entries", restart);
        Assert.Equal(1, Assert.Single(s.Shards, x => x.ShardId == "earth").Recoveries);
    }

    [Fact]
    public void Spillover_keeps_the_queue_skew_low_under_uneven_demand()
    {
        var s = drill.Result.Summary;

        Assert.True(s.QueueSkew.P95 < 200, $"p95 skew {s.QueueSkew.P95}");
        Assert.Equal(s.DurationTicks, s.QueueSkew.Samples);
        Assert.True(s.Spillovers > 0 && s.JobsSpilled > 0);
    }

    [Fact]
    public void The_summary_states_the_slot_ceiling_and_how_near_the_run_came_to_it()
    {
        var s = drill.Result.Summary;
        var ceiling = Assert.IsType<CeilingFigures>(s.Ceiling);
        var expected = DrillCeiling.Of(drill.Manifest, DrillPlan.Acceptance(drill.Manifest, 10_000, seed: 42));

        Assert.Equal(expected.Ticks, ceiling.Ticks);
        Assert.Equal(expected.Ticks * drill.Manifest.Routers.TickMs, ceiling.Ms);
        Assert.Equal(68, ceiling.Slots);
        Assert.True(ceiling.Ticks < s.DurationTicks, $"ceiling {ceiling.Ticks} ticks, ran {s.DurationTicks}");
        Assert.Equal(s.DurationTicks * drill.Manifest.Routers.TickMs, ceiling.ElapsedMs);
        Assert.Equal(Math.Round((double)ceiling.Ms / ceiling.ElapsedMs, 3), ceiling.Utilisation);
        Assert.InRange(ceiling.Utilisation!.Value, 0.01, 1.0);
        Assert.False(string.IsNullOrWhiteSpace(ceiling.BoundBy));
    }

    [Fact]
    public void Every_node_did_work_and_the_node_outage_lost_running_work()
    {
        var nodes = drill.Result.Nodes;

        Assert.Equal(drill.Manifest.Nodes.Count, nodes.Count);
        Assert.All(nodes, n => Assert.True(n.CompletedInBooks > 0, $"{n.NodeId} completed nothing"));
        var outage = Assert.Single(nodes, n => n.Outages > 0);
        Assert.Equal("MARS-ARES-02", outage.NodeId);
        Assert.Equal(drill.Result.Summary.JobsCompleted, nodes.Sum(n => n.CompletedInBooks));
    }

    [Fact]
    public void The_owner_change_mid_run_is_logged_and_took_effect()
    {
        var entry = Assert.Single(drill.Result.OwnerLog);
        Assert.Equal("routers.spilloverBatch", entry.Path);
        Assert.Equal("32", entry.Before);
        Assert.Equal("64", entry.After);
        Assert.Equal(1, drill.Result.Summary.OwnerInterventions);

        // Spill moves before the change carry at most 32 jobs; afterwards some carry more.
        var moves = drill.Result.Timeline.Where(e => e.Kind == JobEventKind.Spilled)
            .GroupBy(e => (e.Tick, e.Shard, e.Detail)).Select(g => (g.First().AtMs, Size: g.Count())).ToArray();
        Assert.All(moves.Where(m => m.AtMs <= entry.AtMs), m => Assert.True(m.Size <= 32));
        Assert.Contains(moves, m => m.AtMs > entry.AtMs && m.Size > 32);
    }

    [Fact]
    public void Checkpoints_are_metadata_and_stay_small()
    {
        var checkpoints = drill.Result.Checkpoints;

        Assert.NotEmpty(checkpoints);
        Assert.All(checkpoints, c => Assert.True(c.SizeBytes < 512 * 1024, $"{c.SnapshotId} is {c.SizeBytes} bytes"));
        Assert.Contains(checkpoints, c => c.JournalEntriesTrimmed > 0);
    }

    [Fact]
    public void The_report_bundle_has_every_file_and_the_timeline_covers_every_job()
    {
        var directory = Path.Combine(Path.GetTempPath(), $"planetary-report-{Guid.NewGuid():N}");
        try
        {
            ReportBundleWriter.Write(directory, new ReportBundle(
                drill.Result.Summary, drill.Result.Nodes, drill.Result.OwnerLog, drill.Result.Checkpoints,
                TopologyDiagram.Render(drill.Manifest), drill.Result.Timeline));

            foreach (var file in ReportBundleWriter.Files)
            {
                Assert.True(new FileInfo(Path.Combine(directory, file)).Length > 0, file);
            }

            var finished = File.ReadLines(Path.Combine(directory, "events.ndjson"))
                .Where(l => l.Contains("\"event\":\"completed\"", StringComparison.Ordinal) || l.Contains("\"event\":\"failed\"", StringComparison.Ordinal))
                .Count();
            Assert.Equal(40_000, finished);
            var summary = File.ReadAllText(Path.Combine(directory, "summary.json"));
            foreach (var field in new[] { "seed", "jobsSubmitted", "jobsCompleted", "jobsFailed", "jobsLost", "failedAssignmentRate", "spillovers", "checkpoints", "resumedFromCheckpoint", "queueSkew", "durationTicks", "ownerInterventions", "configHash" })
            {
                Assert.Contains($"\"{field}\":", summary);
            }
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}

public sealed class DeterminismTests
{
    private static readonly FabricManifest Manifest = ManifestLoader.LoadDefault();

    private static byte[] SummaryOf(int jobsPerShard, ulong seed) =>
        ReportBundleWriter.SummaryBytes(new Simulation(SimulationOptions.AcceptanceDrill(Manifest, jobsPerShard, seed)).Run().Summary);

    [Fact]
    public void The_same_seed_gives_a_byte_identical_summary()
    {
        Assert.Equal(Encoding.UTF8.GetString(SummaryOf(800, 7)), Encoding.UTF8.GetString(SummaryOf(800, 7)));
    }

    [Fact]
    public void A_text_seed_runs_on_its_hash_gives_a_byte_identical_summary_and_the_summary_shows_it_as_given()
    {
        Assert.True(DrillSeed.TryParse("planetary-fabric", out var seed, out var text, out _));
        byte[] Run() => ReportBundleWriter.SummaryBytes(new Simulation(SimulationOptions.AcceptanceDrill(Manifest, 800, seed, text)).Run().Summary);

        var first = Encoding.UTF8.GetString(Run());
        Assert.Equal(first, Encoding.UTF8.GetString(Run()));
        Assert.Contains("\"seedText\": \"planetary-fabric\"", first);
        Assert.DoesNotContain("seedText", Encoding.UTF8.GetString(SummaryOf(800, 7)));
    }

    [Fact]
    public void A_different_seed_gives_a_different_run()
    {
        Assert.NotEqual(Encoding.UTF8.GetString(SummaryOf(800, 7)), Encoding.UTF8.GetString(SummaryOf(800, 8)));
    }

    [Fact]
    public void Without_a_router_crash_the_summary_does_not_claim_a_resume()
    {
        var options = SimulationOptions.AcceptanceDrill(Manifest, 300, 3);
        options = options with { Plan = options.Plan with { RouterCrashes = [] } };

        var summary = new Simulation(options).Run().Summary;

        Assert.False(summary.ResumedFromCheckpoint);
        Assert.All(summary.Shards, s => Assert.Equal(0, s.Recoveries));
    }

    [Fact]
    public void A_crash_before_any_checkpoint_recovers_from_the_journal_alone_and_says_so()
    {
        var options = SimulationOptions.AcceptanceDrill(Manifest, 300, 3);
        options = options with { Plan = options.Plan with { RouterCrashes = [new RouterCrash("luna", AtTick: 5, DownTicks: 3)] } };

        var summary = new Simulation(options).Run().Summary;

        Assert.False(summary.ResumedFromCheckpoint);
        Assert.Equal(0, summary.JobsLost);
        Assert.Contains(summary.Faults, f => f.StartsWith("router luna came back", StringComparison.Ordinal) && f.Contains("restored snapshot (none)", StringComparison.Ordinal));
    }

    [Fact]
    public void The_config_hash_follows_the_manifest_values()
    {
        var changed = Parameters.ParameterChanges.TryApply(Manifest, "routers.spilloverBatch", "33").Manifest!;

        Assert.Equal(Reporting.ConfigHash.Of(Manifest), Reporting.ConfigHash.Of(ManifestLoader.LoadDefault()));
        Assert.NotEqual(Reporting.ConfigHash.Of(Manifest), Reporting.ConfigHash.Of(changed));
    }
}
