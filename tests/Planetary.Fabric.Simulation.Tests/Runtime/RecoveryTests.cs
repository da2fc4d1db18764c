using Planetary.Contracts;
using Planetary.Fabric.Journal;
using Planetary.Fabric.Runtime.Ports;
using Planetary.Fabric.Runtime.Routers;
using Planetary.Fabric.Simulation.Ports;
using static Planetary.Fabric.Simulation.Tests.Runtime.ShellHarness;

namespace Planetary.Fabric.Simulation.Tests.Runtime;

/// <summary>A starting router: latest snapshot + a continuous journal tail, the recovery journaled, the owner's parameters adopted.</summary>
public sealed class RecoveryTests
{
    [Fact]
    public void A_first_start_journals_nothing_and_a_restart_journals_its_recovery()
    {
        var h = new ShellHarness();
        var first = h.Router();
        var fresh = Run(first.StartAsync(CancellationToken.None));
        Assert.False(fresh.ResumedFromCheckpoint);
        Assert.Equal(0, h.Store.JournalLength("earth"));

        Process(first, Submit("earth", "j1", "j2"));
        Run(h.Checkpointer().StartAsync(CancellationToken.None));
        var restarted = h.Router();
        var resumed = Run(restarted.StartAsync(CancellationToken.None));

        Assert.Equal(2, resumed.JobsRestored);
        Assert.Equal(1, restarted.Router.State.Counters.Recoveries);
        Assert.Equal(2, h.Store.JournalLength("earth"));
    }

    [Fact]
    public void A_restart_resumes_from_the_snapshot_and_the_journal_after_it()
    {
        var h = new ShellHarness();
        var first = h.Router();
        Run(first.StartAsync(CancellationToken.None));
        Process(first, Submit("earth", "j1"));
        var checkpointer = h.Checkpointer();
        Run(checkpointer.StartAsync(CancellationToken.None));
        var written = Run(checkpointer.CheckpointAsync("earth", 3, CancellationToken.None))!;
        Process(first, Submit("earth", "j2"));

        var resumed = Run(h.Router().StartAsync(CancellationToken.None));

        Assert.True(resumed.ResumedFromCheckpoint);
        Assert.Equal(written.SnapshotId, resumed.SnapshotId);
        Assert.Equal(1, resumed.JournalEntriesReplayed);
        Assert.Equal(2, resumed.JobsRestored);
    }

    [Fact]
    public void A_restart_refuses_a_journal_with_a_gap_after_its_snapshot_and_says_where()
    {
        var h = new ShellHarness();
        var first = h.Router();
        Run(first.StartAsync(CancellationToken.None));
        Process(first, Submit("earth", "j1"));
        var checkpointer = h.Checkpointer();
        Run(checkpointer.StartAsync(CancellationToken.None));
        Run(checkpointer.CheckpointAsync("earth", 3, CancellationToken.None));
        Process(first, Submit("earth", "j2"));
        Process(first, Submit("earth", "j3"));
        h.Store.LoseRecords("earth", 2, 2); // the record right after the snapshot is gone

        var stopped = Assert.Throws<ProcessStoppedException>(() => Run(h.Router().StartAsync(CancellationToken.None)));

        Assert.Contains("not continuous after snapshot earth@1", stopped.Reason);
        Assert.Contains("commit 2", stopped.Reason);
    }

    [Fact]
    public void A_restart_refuses_when_acknowledged_commits_are_missing_at_the_end_of_the_journal()
    {
        var h = new ShellHarness();
        var first = h.Router();
        Run(first.StartAsync(CancellationToken.None));
        Process(first, Submit("earth", "j1"));
        Process(first, Submit("earth", "j2"));
        h.Store.LoseRecords("earth", 2, 2);

        var stopped = Assert.Throws<ProcessStoppedException>(() => Run(h.Router().StartAsync(CancellationToken.None)));

        Assert.Contains("commit 2 was the last one acknowledged", stopped.Reason);
    }

    [Fact]
    public void A_restart_adopts_stored_parameters_newer_than_its_state()
    {
        var h = new ShellHarness();
        Run(h.Router().StartAsync(CancellationToken.None));
        var values = Parameters.ParameterCatalog.Flatten(Parameters.ParameterChanges.TryApply(Genesis, "routers.spilloverBatch", "48").Manifest!);
        Assert.True(h.Store.TryWriteParameters(new StoredParameters(3, values, 0)));

        var restarted = h.Router();
        Run(restarted.StartAsync(CancellationToken.None));

        Assert.Equal(3, restarted.Router.State.ParameterVersion);
        Assert.Equal(48, restarted.Router.State.Settings.SpilloverBatch);
        Assert.Equal(1, h.Store.JournalLength("earth")); // the adoption was journaled
    }

    [Fact]
    public void A_crash_request_for_this_instance_is_acknowledged_then_stops_the_process_and_other_instances_ignore_it()
    {
        var h = new ShellHarness();
        var router = h.Router();
        var resumed = Run(router.StartAsync(CancellationToken.None));
        var stale = new RouterWork.Crash(new CrashRouter("earth", "drill", "an-earlier-instance"), new SimulatedAck());
        Process(router, stale);
        Assert.True(((SimulatedAck)stale.Ack!).Acknowledged);

        var mine = new RouterWork.Crash(new CrashRouter("earth", "drill", resumed.InstanceId), new SimulatedAck());
        var stopped = Assert.Throws<ProcessStoppedException>(() => Process(router, mine));

        Assert.Contains("crash requested by drill", stopped.Reason);
        Assert.True(((SimulatedAck)mine.Ack!).Acknowledged);
    }
}
