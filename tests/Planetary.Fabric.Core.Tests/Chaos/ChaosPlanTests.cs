using Planetary.Fabric.Chaos;

namespace Planetary.Fabric.Core.Tests.Chaos;

public sealed class ChaosPlanTests
{
    [Fact]
    public void The_first_round_has_every_kind_once_and_the_same_seed_gives_the_same_faults()
    {
        var first = new ChaosPlan(7, ChaosFaultNames.All);
        var second = new ChaosPlan(7, ChaosFaultNames.All);
        var faults = Enumerable.Range(0, 40).Select(_ => first.Next()).ToArray();

        Assert.Equal(faults, Enumerable.Range(0, 40).Select(_ => second.Next()).ToArray());
        Assert.Equal(ChaosFaultNames.All.Order(), faults.Take(ChaosFaultNames.All.Count).Select(f => f.Kind).Order());
        Assert.All(faults, f => Assert.InRange(f.GapMs, 1_000, 6_000));
        Assert.All(faults, f => Assert.InRange(f.PauseMs, 2_000, 8_000));
        Assert.Equal(Enumerable.Range(0, 40), faults.Select(f => f.Index));
    }

    [Fact]
    public void Another_seed_gives_other_faults_and_only_the_kinds_asked_for()
    {
        var kinds = new[] { ChaosFaultKind.KillBroker, ChaosFaultKind.PauseService };
        var a = new ChaosPlan(1, kinds);
        var one = Enumerable.Range(0, 30).Select(_ => a.Next()).ToArray();
        var b = new ChaosPlan(2, kinds);
        var two = Enumerable.Range(0, 30).Select(_ => b.Next()).ToArray();

        Assert.NotEqual(one.Select(f => f.Pick), two.Select(f => f.Pick));
        Assert.All(one.Concat(two), f => Assert.Contains(f.Kind, kinds));
    }

    [Fact]
    public void Fault_kinds_parse_by_their_names()
    {
        foreach (var kind in ChaosFaultNames.All)
        {
            Assert.True(ChaosFaultNames.TryParse(ChaosFaultNames.Of(kind).ToUpperInvariant(), out var parsed));
            Assert.Equal(kind, parsed);
        }

        Assert.False(ChaosFaultNames.TryParse("unplug-the-datacentre", out _));
        Assert.Throws<ArgumentException>(() => new ChaosPlan(1, []));
    }
}

public sealed class ChaosWorkloadTests
{
    [Fact]
    public void The_stream_is_seeded_and_its_duplicates_and_cancels_name_jobs_given_before()
    {
        static List<ChaosWork> Run(ulong seed)
        {
            var workload = new ChaosWorkload(
                seed, "run", new Dictionary<string, IReadOnlyList<string>> { ["earth"] = ["a", "b"], ["luna"] = ["a"], ["mars"] = ["b"], ["edge"] = [] },
                new ChaosWorkloadOptions(BatchSize: 4, DuplicateChance: 0.5, CancelChance: 0.5));
            return Enumerable.Range(0, 200).SelectMany(_ => workload.Next()).ToList();
        }

        var work = Run(9);
        Assert.Equal(work.Select(Describe), Run(9).Select(Describe));
        Assert.NotEqual(work.Select(Describe), Run(10).Select(Describe));

        var given = new Dictionary<string, string>(StringComparer.Ordinal);
        var lastBatch = new HashSet<string>(StringComparer.Ordinal);
        foreach (var step in work)
        {
            switch (step)
            {
                case ChaosWork.Submit submit:
                    Assert.Equal(4, submit.Jobs.Count);
                    Assert.NotEqual("edge", submit.Shard); // no template it can route
                    Assert.All(submit.Jobs, j => Assert.Contains(j.Template, submit.Shard switch { "earth" => new[] { "a", "b" }, "luna" => ["a"], _ => ["b"] }));
                    lastBatch = submit.Jobs.Select(j => j.JobId).ToHashSet(StringComparer.Ordinal);
                    Assert.All(submit.Jobs, j => Assert.StartsWith("chaos-run-", j.JobId, StringComparison.Ordinal));
                    Assert.All(submit.Jobs, j => Assert.True(given.TryAdd(j.JobId, submit.Shard), $"{j.JobId} given twice as new"));
                    break;
                case ChaosWork.Resubmit again:
                    Assert.True(given.TryGetValue(again.Job.JobId, out var shard));
                    Assert.Equal(again.OtherShard, shard != again.Shard);
                    break;
                case ChaosWork.Cancel cancel:
                    Assert.Contains(cancel.JobId, lastBatch);
                    break;
            }
        }

        Assert.Contains(work, w => w is ChaosWork.Resubmit { OtherShard: true });
        Assert.Contains(work, w => w is ChaosWork.Resubmit { OtherShard: false });
        Assert.Contains(work, w => w is ChaosWork.Cancel);
    }

    private static string Describe(ChaosWork work) => work switch
    {
        ChaosWork.Submit s => $"submit {s.Shard} {string.Join(',', s.Jobs)}",
        ChaosWork.Resubmit r => $"again {r.Shard} {r.Job}",
        ChaosWork.Cancel c => $"cancel {c.JobId}",
        _ => "?",
    };
}

public sealed class ChaosTemplatesTests
{
    [Fact]
    public void Each_shard_gets_the_templates_it_or_an_ally_can_run_quickest_first()
    {
        var manifest = Planetary.Fabric.Manifest.ManifestLoader.LoadDefault();
        var byShard = ChaosTemplates.ByShard(manifest);

        // Earth's allies are luna and mars: nobody there has gpu-acceleration, so a gpu job given to earth could only fail.
        Assert.DoesNotContain("gpu-simulation", byShard["earth"]);
        Assert.Contains("gpu-simulation", byShard["edge"]);
        foreach (var (shard, templates) in byShard)
        {
            Assert.NotEmpty(templates);
            var durations = templates.Select(t => manifest.FindTemplate(t)!.DurationTicks).ToArray();
            Assert.Equal(durations.Order(), durations);
        }
    }
}
