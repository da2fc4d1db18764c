using Planetary.Fabric.Reporting;

namespace Planetary.Fabric.Tests.Reporting;

/// <summary>Every acceptance check holds for a good drill and fires, with its figure, for a summary that breaks it.</summary>
public sealed class AcceptanceChecksTests
{
    private static readonly DrillSummary Good = new(
        Mode: "live", Seed: 42, JobsPerShard: 10, JobsSubmitted: 40, JobsCompleted: 39, JobsFailed: 1, JobsCancelled: 0,
        JobsLost: 0, JobsUnfinished: 0, FailedAssignmentRate: 0.01, Assignments: 100, AttemptsFailed: 1, Spillovers: 3,
        JobsSpilled: 20, JobsForwarded: 0, Checkpoints: 5, ResumedFromCheckpoint: true, QueueSkew: new QueueSkewSummary(150, 120, 0, 100),
        DurationTicks: 100, OwnerInterventions: 1, ConfigHash: "h",
        Shards: [new ShardFigures("earth", 10, 0, 10, 0, 5, 0, 30, 1)], Faults: [],
        OwnerChange: new OwnerChangeEffect("routers.spilloverBatch", "32", "64", 10, 32, 50), Live: null);

    private static readonly NodeFigures[] Nodes = [new NodeFigures("EARTH-TITAN-01", "earth", 12, 0.99, 50, 49, 1, 0, 0, 0, 40, 0.5)];

    [Fact]
    public void A_good_drill_passes_every_check() => Assert.Empty(AcceptanceChecks.Failures(Good, Nodes));

    [Fact]
    public void A_lost_job_fails() =>
        Assert.Contains("jobsLost is 1, must be 0", AcceptanceChecks.Failures(Good with { JobsLost = 1, JobsCompleted = 38 }, Nodes));

    [Fact]
    public void An_unfinished_job_fails() =>
        Assert.Contains("1 of 40 jobs neither completed nor failed", AcceptanceChecks.Failures(Good with { JobsUnfinished = 1, JobsCompleted = 38 }, Nodes));

    [Fact]
    public void A_failed_assignment_rate_of_two_percent_or_more_fails() =>
        Assert.Contains(AcceptanceChecks.Failures(Good with { FailedAssignmentRate = 0.021 }, Nodes), f => f.StartsWith("failedAssignmentRate 2.1", StringComparison.Ordinal) && f.EndsWith("is not below 2%", StringComparison.Ordinal));

    [Fact]
    public void A_restart_that_did_not_resume_from_a_checkpoint_fails() =>
        Assert.Contains("a router restarted during the drill but did not resume from a checkpoint", AcceptanceChecks.Failures(Good with { ResumedFromCheckpoint = false }, Nodes));

    [Fact]
    public void Queue_skew_of_200_or_more_fails() =>
        Assert.Contains("queueSkew.p95 200 is not below 200", AcceptanceChecks.Failures(Good with { QueueSkew = Good.QueueSkew with { P95 = 200 } }, Nodes));

    [Fact]
    public void No_checkpoint_fails() =>
        Assert.Contains("no checkpoint was written", AcceptanceChecks.Failures(Good with { Checkpoints = 0 }, Nodes));

    [Fact]
    public void An_owner_change_without_effect_fails() =>
        Assert.Contains(AcceptanceChecks.Failures(Good with { OwnerChange = Good.OwnerChange! with { LargestMoveAfter = 32 } }, Nodes), f => f.Contains("did not show", StringComparison.Ordinal));

    [Fact]
    public void A_node_that_completed_nothing_fails() =>
        Assert.Contains("node EARTH-TITAN-01 completed no job", AcceptanceChecks.Failures(Good, [Nodes[0] with { CompletedInBooks = 0 }]));
}
