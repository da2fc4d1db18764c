using Planetary.Fabric.Reporting;
using Planetary.OwnerControl.Apis;

namespace Planetary.OwnerControl.Tests;

/// <summary>
/// The console's list of acceptance checks takes its verdicts from the core: each failure the core reports lands on the
/// check it names, and a failure no check names is still shown.
/// </summary>
public sealed class AcceptanceCheckViewTests
{
    private static readonly NodeFigures[] Nodes = [new("EARTH-TITAN-01", "earth", 4, 0.99, 10, 10, 0, 0, 0, 0, 10, 0.5)];

    public static DrillSummary Passing() => new(
        "live", 42, 100, 400, 400, 0, 0, 0, 0, 0.01, 500, 5, 3, 40, 0, 4, true, new QueueSkewSummary(50, 40, 0, 100), 200, 1, "hash",
        [new ShardFigures("earth", 100, 0, 100, 0, 10, 0, 30, 1)], [],
        new OwnerChangeEffect("routers.spilloverBatch", "32", "64", 20, 10, 30), null);

    public static TheoryData<string, string> Failing() => new()
    {
        { "No job lost", "lost" },
        { "Every job ended", "unended" },
        { "Failed-assignment rate", "rate" },
        { "Resumed from checkpoint", "notResumed" },
        { "Queue skew", "skew" },
        { "Checkpoints written", "noCheckpoint" },
        { "Owner change took effect", "noEffect" },
        { "Node EARTH-TITAN-01 did work", "idleNode" },
    };

    [Fact]
    public void A_drill_that_passes_shows_every_check_passed_with_its_figure()
    {
        var summary = Passing();
        Assert.Empty(AcceptanceChecks.Failures(summary, Nodes));

        var checks = AcceptanceCheckViews.Of(summary, Nodes, []);

        Assert.Equal(8, checks.Count);
        Assert.All(checks, c => Assert.True(c.Passed && c.Failure is null, c.Name));
        Assert.Contains(checks, c => c.Name == "Failed-assignment rate" && c.Figure == "1.00% (5 of 500 attempts failed)");
        Assert.Contains(checks, c => c.Name == "Queue skew" && c.Figure.StartsWith("p95 40", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Failing))]
    public void Each_failure_of_the_core_lands_on_its_own_check(string check, string breakage)
    {
        var (summary, nodes) = Break(breakage);
        var failures = AcceptanceChecks.Failures(summary, nodes);
        Assert.NotEmpty(failures);

        var checks = AcceptanceCheckViews.Of(summary, nodes, failures);

        var failed = checks.Where(c => !c.Passed).ToArray();
        Assert.Contains(failed, c => c.Name == check);
        Assert.DoesNotContain(failed, c => c.Name == "Other check");
        Assert.Equal(failures.Count, failed.Length);
        Assert.Equal(failures.Order(), failed.Select(c => c.Failure!).Order());
    }

    [Fact]
    public void A_failure_no_check_names_is_still_shown()
    {
        var checks = AcceptanceCheckViews.Of(Passing(), Nodes, ["the moon fell out of orbit"]);

        var other = Assert.Single(checks, c => !c.Passed);
        Assert.Equal("Other check", other.Name);
        Assert.Equal("the moon fell out of orbit", other.Failure);
    }

    private static (DrillSummary, NodeFigures[]) Break(string breakage)
    {
        var s = Passing();
        return breakage switch
        {
            "lost" => (s with { JobsLost = 1, JobsCompleted = 399 }, Nodes),
            "unended" => (s with { JobsCompleted = 399 }, Nodes),
            "rate" => (s with { FailedAssignmentRate = 0.02 }, Nodes),
            "notResumed" => (s with { ResumedFromCheckpoint = false }, Nodes),
            "skew" => (s with { QueueSkew = new QueueSkewSummary(300, 200, 0, 100) }, Nodes),
            "noCheckpoint" => (s with { Checkpoints = 0 }, Nodes),
            "noEffect" => (s with { OwnerChange = s.OwnerChange! with { LargestMoveAfter = 10 } }, Nodes),
            "idleNode" => (s, [Nodes[0] with { CompletedInBooks = 0 }]),
            _ => throw new ArgumentOutOfRangeException(nameof(breakage)),
        };
    }
}
