using Planetary.Fabric.Manifest;

namespace Planetary.Fabric.Simulation.Tests;

/// <summary>What the simulated store keeps: every finished job for the retention, nothing after it; journals trimmed.</summary>
public sealed class RetentionSimulationTests
{
    [Fact]
    public void The_books_and_job_ids_are_kept_for_the_retention_and_let_go_after_it()
    {
        var genesis = ManifestLoader.LoadDefault();
        var manifest = genesis with { Execution = new ExecutionSettings(0), Jobs = new JobSettings(RetentionHours: 1) };
        var simulation = new Simulation(SimulationOptions.AcceptanceDrill(manifest, 300, seed: 11) with { RecordTimeline = false });

        var result = simulation.Run();

        var store = simulation.Store;
        var finished = (int)(result.Summary.JobsCompleted + result.Summary.JobsFailed);
        Assert.Equal(1_200, finished);
        Assert.Equal(finished, store.KeptOutcomes());
        Assert.Equal(finished, store.KeptJobIds());
        Assert.Equal(finished, store.KeptOutcomes(TimeSpan.FromMinutes(59))); // the run lasts far less than a minute
        Assert.Equal(0, store.KeptOutcomes(TimeSpan.FromHours(1) + TimeSpan.FromSeconds(1)));
        Assert.Equal(0, store.KeptJobIds(TimeSpan.FromHours(1) + TimeSpan.FromSeconds(1)));
        Assert.True(store.JournalRecords < result.Checkpoints.Sum(c => c.JournalEntriesTrimmed), "the checkpoints trimmed most of the journal");
        var (snapshots, _) = store.SnapshotsKept;
        Assert.InRange(snapshots, 1, manifest.Shards.Count * manifest.Checkpoint.SnapshotsRetained);
    }
}
