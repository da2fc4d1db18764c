using Planetary.OwnerControl.Drills;

namespace Planetary.OwnerControl.Tests;

public sealed class DrillHistoryTests
{
    private sealed record Drill(string Id, long StartedAtMs);

    [Fact]
    public void It_keeps_the_newest_drills_and_forgets_the_oldest_beyond_the_bound()
    {
        var history = new DrillHistory<Drill>(3, d => d.Id, d => d.StartedAtMs);
        for (var i = 1; i <= 5; i++)
        {
            history.Add(new Drill($"drill-{i}", i * 1_000));
        }

        Assert.Equal(3, history.Count);
        Assert.Equal(["drill-3", "drill-4", "drill-5"], history.All().Select(d => d.Id));
        Assert.Null(history.Find("drill-1"));
        Assert.NotNull(history.Find("drill-5"));
    }

    [Fact]
    public void The_newest_drill_is_kept_even_with_a_bound_below_one()
    {
        var history = new DrillHistory<Drill>(0, d => d.Id, d => d.StartedAtMs);
        history.Add(new Drill("a", 1));
        history.Add(new Drill("b", 2));
        Assert.Equal("b", Assert.Single(history.All()).Id);
    }
}
