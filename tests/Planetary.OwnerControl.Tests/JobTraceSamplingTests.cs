using Planetary.Fabric.Hosting.Telemetry;

namespace Planetary.OwnerControl.Tests;

/// <summary>Which jobs of a traced submission carry its trace: the first always, each other one at the ratio, by its id.</summary>
public sealed class JobTraceSamplingTests
{
    private const string Parent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

    [Fact]
    public void The_first_job_always_carries_the_trace_and_the_others_at_the_ratio()
    {
        var ids = Enumerable.Range(0, 10_000).Select(i => $"job-{i}").ToArray();

        var carried = ids.Select((id, i) => JobSpans.TraceParentFor(Parent, i, id, 0.01)).Count(p => p is not null);

        Assert.Equal(Parent, JobSpans.TraceParentFor(Parent, 0, "only", 0));
        Assert.InRange(carried, 60, 150); // 1 + about 1 % of 9,999
        Assert.Equal(1, ids.Select((id, i) => JobSpans.TraceParentFor(Parent, i, id, 0)).Count(p => p is not null));
        Assert.All(ids.Select((id, i) => JobSpans.TraceParentFor(Parent, i, id, 1)), p => Assert.Equal(Parent, p));
    }

    [Fact]
    public void A_job_decides_by_its_id_and_nothing_carries_a_trace_that_was_not_recorded()
    {
        var first = Enumerable.Range(1, 1_000).Select(i => JobSpans.TraceParentFor(Parent, i, $"j{i}", 0.05)).ToArray();
        var again = Enumerable.Range(1, 1_000).Select(i => JobSpans.TraceParentFor(Parent, i, $"j{i}", 0.05)).ToArray();

        Assert.Equal(first, again);
        Assert.Null(JobSpans.TraceParentFor(null, 0, "j0", 1));
    }
}
