using Planetary.Contracts;
using Planetary.Fabric.Drills;
using Planetary.Fabric.Manifest;

namespace Planetary.Fabric.Tests.Drills;

/// <summary>
/// The drill's closed-loop pacing on the default manifest. Each shard's floor is twice its own slots plus its spillover
/// threshold (60): earth 2 × 22 + 60 = 104, luna 2 × 12 + 60 = 84, mars 2 × 18 + 60 = 96, edge 2 × 16 + 60 = 92.
/// </summary>
public sealed class DrillPacerTests
{
    private static readonly FabricManifest Default = ManifestLoader.LoadDefault();
    private static readonly Dictionary<string, long> NothingOutstanding = new(StringComparer.Ordinal);

    [Fact]
    public void Each_shard_is_topped_up_to_its_share_of_the_backlog_never_below_its_floor()
    {
        // Backlog 800 by demand 4 : 1 : 2 : 1 is earth 400, luna 100, mars 200, edge 100; edge's floor (92) is below its share.
        var pacer = new DrillPacer(Default, Plan(backlog: 800, maxPerTick: 1_000, demand: (4, 1, 2, 1)), "t");

        var offered = Offered(pacer.Next(tick: 1, NothingOutstanding, nowMs: 0));

        Assert.Equal(400, offered["earth"]);
        Assert.Equal(100, offered["luna"]);
        Assert.Equal(200, offered["mars"]);
        Assert.Equal(100, offered["edge"]);

        var small = new DrillPacer(Default, Plan(backlog: 100, maxPerTick: 1_000, demand: (1, 1, 1, 1)), "t");
        Assert.Equal(new Dictionary<string, int> { ["earth"] = 104, ["luna"] = 84, ["mars"] = 96, ["edge"] = 92 },
            Offered(small.Next(tick: 1, NothingOutstanding, nowMs: 0)));
    }

    [Fact]
    public void A_shard_at_its_target_gets_nothing_and_gets_what_finished_once_jobs_leave_its_backlog()
    {
        var pacer = new DrillPacer(Default, Plan(backlog: 0, maxPerTick: 1_000, demand: (1, 1, 1, 1)), "t");
        foreach (var batch in pacer.Next(tick: 1, NothingOutstanding, nowMs: 0))
        {
            pacer.OnAccepted(new JobsAccepted(batch.SubmissionId, batch.ShardId, batch.Jobs.Select(j => j.JobId).ToArray(), []));
        }

        var atTarget = new Dictionary<string, long>(StringComparer.Ordinal) { ["earth"] = 104, ["luna"] = 84, ["mars"] = 96, ["edge"] = 92 };
        Assert.Empty(pacer.Next(tick: 2, atTarget, nowMs: 0));

        atTarget["mars"] = 90; // six of mars's jobs reached the books
        var next = Assert.Single(pacer.Next(tick: 3, atTarget, nowMs: 0));
        Assert.Equal("mars", next.ShardId);
        Assert.Equal(6, next.Jobs.Count);
    }

    [Fact]
    public void The_plans_offer_per_tick_is_shared_by_demand_and_what_a_shard_has_no_room_for_is_not_saved_up()
    {
        var pacer = new DrillPacer(Default, Plan(backlog: 800, maxPerTick: 24, demand: (4, 1, 2, 1)), "t");
        var share = new Dictionary<string, int> { ["earth"] = 12, ["luna"] = 3, ["mars"] = 6, ["edge"] = 3 };

        Assert.Equal(share, Offered(pacer.Next(tick: 1, NothingOutstanding, nowMs: 0)));

        var full = new Dictionary<string, long>(StringComparer.Ordinal) { ["earth"] = 400, ["luna"] = 100, ["mars"] = 200, ["edge"] = 100 };
        Assert.Empty(pacer.Next(tick: 2, full, nowMs: 0));
        Assert.Equal(share, Offered(pacer.Next(tick: 3, NothingOutstanding, nowMs: 0))); // not two ticks' worth
    }

    [Fact]
    public void A_shard_whose_router_does_not_answer_gets_nothing_more_and_its_batch_is_sent_again()
    {
        var pacer = new DrillPacer(Default, Plan(backlog: 10_000, maxPerTick: 40, demand: (1, 1, 1, 1)), "t");
        string? earthFirst = null;
        var earthSent = 0;
        for (var tick = 1; tick <= 30; tick++)
        {
            var batches = pacer.Next(tick, NothingOutstanding, nowMs: 0);
            earthFirst ??= batches.Single(b => b.ShardId == "earth").SubmissionId;
            earthSent += batches.Where(b => b.ShardId == "earth").Sum(b => b.Jobs.Count);
            foreach (var batch in batches.Where(b => b.ShardId != "earth"))
            {
                pacer.OnAccepted(new JobsAccepted(batch.SubmissionId, batch.ShardId, batch.Jobs.Select(j => j.JobId).ToArray(), []));
            }

            Assert.Contains(batches, b => b.ShardId == "luna"); // the others keep being served
        }

        Assert.Equal(200, earthSent); // five ticks' worth of the plan's offer, unanswered: then nothing more
        var resent = pacer.Next(tick: 1 + pacer.ResendAfterTicks, NothingOutstanding, nowMs: 0);
        Assert.Contains(resent, b => b.SubmissionId == earthFirst);
    }

    [Fact]
    public void Refused_jobs_are_offered_again_before_new_ones()
    {
        var pacer = new DrillPacer(Default, Plan(backlog: 0, maxPerTick: 16, demand: (1, 1, 1, 1)), "t");
        var earth = pacer.Next(tick: 1, NothingOutstanding, nowMs: 0).Single(b => b.ShardId == "earth");
        var refused = earth.Jobs[0].JobId;
        pacer.OnAccepted(new JobsAccepted(earth.SubmissionId, "earth", earth.Jobs.Skip(1).Select(j => j.JobId).ToArray(),
            [new JobRejection(refused, "queue full")]));

        var again = pacer.Next(tick: 2, NothingOutstanding, nowMs: 0).Single(b => b.ShardId == "earth");

        Assert.Equal(refused, again.Jobs[0].JobId);
        Assert.Equal(3, pacer.Accepted);
    }

    private static DrillPlan Plan(int backlog, int maxPerTick, (double Earth, double Luna, double Mars, double Edge) demand) =>
        new(42, JobsPerShard: 1_000,
            new Dictionary<string, double>(StringComparer.Ordinal) { ["earth"] = demand.Earth, ["luna"] = demand.Luna, ["mars"] = demand.Mars, ["edge"] = demand.Edge },
            maxPerTick, backlog, [], [], []);

    private static Dictionary<string, int> Offered(IEnumerable<SubmitJobs> batches) =>
        batches.GroupBy(b => b.ShardId).ToDictionary(g => g.Key, g => g.Sum(b => b.Jobs.Count), StringComparer.Ordinal);
}
