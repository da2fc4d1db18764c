using Planetary.Fabric.Manifest;
using Planetary.Fabric.Parameters;

namespace Planetary.Fabric.Tests.Parameters;

public class ParameterCatalogTests
{
    private static readonly FabricManifest Default = ManifestLoader.LoadDefault();

    private static readonly string[] FabricWide =
    [
        "fabric.paused",
        "routers.tickMs", "routers.heartbeatIntervalTicks", "routers.heartbeatGraceTicks", "routers.spilloverBatch", "routers.hopLimit",
        "routers.cooldownTicks", "routers.maxAttempts", "routers.jobTimeoutTicks", "routers.transferTimeoutTicks", "routers.drainDeadlineTicks", "routers.dedupeRetentionTicks",
        "checkpoint.intervalTicks", "checkpoint.snapshotsRetained",
        "execution.timeScale",
        "jobs.retentionHours",
    ];

    private static readonly string[] PerShard = ["spilloverThreshold", "maxQueueDepth", "paused", "spilloverTargets"];

    private static readonly string[] PerNode = ["concurrency", "reliability", "draining", "capabilities"];

    private static readonly string[] PerTemplate = ["durationTicks", "weight"];

    [Fact]
    public void EveryDeclaration_HasAUniquePathTemplate()
    {
        var duplicates = ParameterCatalog.All.GroupBy(d => d.PathTemplate).Where(g => g.Count() > 1).Select(g => g.Key).ToList();

        Assert.True(duplicates.Count == 0, "declared more than once: " + string.Join(", ", duplicates));
    }

    [Fact]
    public void Catalog_DeclaresExactlyTheOwnerParameters()
    {
        string[] expected =
        [
            .. FabricWide,
            .. PerShard.Select(n => $"shards.{{shard}}.{n}"),
            .. PerNode.Select(n => $"nodes.{{node}}.{n}"),
            .. PerTemplate.Select(n => $"jobTemplates.{{template}}.{n}"),
        ];

        Assert.Equal(expected.Order(StringComparer.Ordinal), ParameterCatalog.All.Select(d => d.PathTemplate).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void EveryDeclaration_IsDescribedAppliedAndHasASaneRange()
    {
        Assert.All(ParameterCatalog.All, d =>
        {
            Assert.False(string.IsNullOrWhiteSpace(d.Description), d.PathTemplate);
            Assert.NotEqual(ParameterAppliers.None, d.AppliedBy);
            Assert.True(d.Min <= d.Max, $"{d.PathTemplate}: min {d.Min} > max {d.Max}");
        });
    }

    [Fact]
    public void EveryDefaultValue_IsWithinItsDeclaredRange()
    {
        var problems = ParameterCatalog.All
            .SelectMany(d => d.KeysIn(Default).Select(k => (Path: d.PathFor(k), Problem: d.RangeProblem(d.Read(Default, k)))))
            .Where(p => p.Problem is not null)
            .ToList();

        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void Flatten_OfTheDefault_ListsEveryConcretePath()
    {
        var expected = FabricWide
            .Concat(Default.Shards.SelectMany(s => PerShard.Select(n => $"shards.{s.Id}.{n}")))
            .Concat(Default.Nodes.SelectMany(x => PerNode.Select(n => $"nodes.{x.Id}.{n}")))
            .Concat(Default.JobTemplates.SelectMany(t => PerTemplate.Select(n => $"jobTemplates.{t.Name}.{n}")))
            .Order(StringComparer.Ordinal);

        var flat = ParameterCatalog.Flatten(Default);

        Assert.Equal(16 + 4 * 4 + 6 * 4 + 8 * 2, flat.Count);
        Assert.Equal(expected, flat.Keys);
    }

    [Theory]
    [InlineData("routers.spilloverBatch", "32")]
    [InlineData("routers.tickMs", "50")]
    [InlineData("shards.earth.spilloverThreshold", "60")]
    [InlineData("shards.mars.spilloverTargets", "earth,edge")]
    [InlineData("shards.luna.paused", "false")]
    [InlineData("shards.edge.maxQueueDepth", "20000")]
    [InlineData("nodes.MARS-ARES-02.concurrency", "8")]
    [InlineData("nodes.EARTH-TITAN-01.reliability", "0.995")]
    [InlineData("nodes.EDGE-HELIOS-PRIME.capabilities", "gpu-acceleration,research")]
    [InlineData("jobTemplates.gpu-simulation.weight", "2")]
    [InlineData("jobTemplates.terraforming-survey.durationTicks", "5")]
    [InlineData("fabric.paused", "false")]
    [InlineData("execution.timeScale", "1")]
    [InlineData("checkpoint.snapshotsRetained", "3")]
    public void Flatten_OfTheDefault_GivesTheCanonicalValue(string path, string value)
    {
        Assert.Equal(value, ParameterCatalog.Flatten(Default)[path]);
    }

    [Fact]
    public void ApplyAll_OfItsOwnFlatten_RoundTrips()
    {
        var flat = ParameterCatalog.Flatten(Default);

        var applied = ParameterCatalog.ApplyAll(Default, flat);

        Assert.Equal(flat, ParameterCatalog.Flatten(applied));
        Assert.Empty(ManifestValidator.Validate(applied));
    }

    [Fact]
    public void ApplyAll_OfAChangedManifestsFlatten_RebuildsItFromTheGenesis()
    {
        // What a restarted service does: genesis manifest + the published values = the current manifest.
        var changed = Default;
        foreach (var (path, value) in new[]
                 {
                     ("routers.spilloverBatch", "64"),
                     ("shards.edge.spilloverTargets", "earth,luna,mars"),
                     ("nodes.LUNA-HYPERION-01.capabilities", "validation,logistics,research"),
                     ("nodes.MARS-ARES-02.reliability", "0.5"),
                     ("fabric.paused", "true"),
                     ("execution.timeScale", "0.25"),
                 })
        {
            var result = ParameterChanges.TryApply(changed, path, value);
            Assert.True(result.Succeeded, result.Problem);
            changed = result.Manifest!;
        }

        var rebuilt = ParameterCatalog.ApplyAll(Default, ParameterCatalog.Flatten(changed));

        Assert.Equal(ParameterCatalog.Flatten(changed), ParameterCatalog.Flatten(rebuilt));
        Assert.Equal(["earth", "luna", "mars"], rebuilt.FindShard("edge")!.SpilloverTargets);
        Assert.True(rebuilt.Fabric.Paused);
        Assert.Equal(0.25, rebuilt.Execution.TimeScale);
    }

    [Fact]
    public void ApplyAll_SkipsPathsTheManifestDoesNotKnow()
    {
        var values = new Dictionary<string, string>
        {
            ["nodes.GHOST-01.concurrency"] = "3",
            ["routers.retired"] = "1",
            ["routers.spilloverBatch"] = "7",
        };

        var applied = ParameterCatalog.ApplyAll(Default, values);

        Assert.Equal(7, applied.Routers.SpilloverBatch);
        Assert.Equal(Default.Nodes, applied.Nodes);
    }

    [Fact]
    public void ApplyAll_OfAValueThatDoesNotParse_Throws()
    {
        var values = new Dictionary<string, string> { ["routers.spilloverBatch"] = "many" };

        var exception = Assert.Throws<InvalidOperationException>(() => ParameterCatalog.ApplyAll(Default, values));
        Assert.Contains("routers.spilloverBatch", exception.Message);
    }

    [Theory]
    [InlineData("routers.spilloverBatch", "routers", "spilloverBatch", "")]
    [InlineData("shards.luna.paused", "shards", "paused", "luna")]
    [InlineData("nodes.MARS-ARES-02.concurrency", "nodes", "concurrency", "MARS-ARES-02")]
    [InlineData("jobTemplates.gpu-simulation.weight", "jobTemplates", "weight", "gpu-simulation")]
    public void TryResolve_FindsTheDeclarationAndKey(string path, string section, string name, string key)
    {
        Assert.True(ParameterCatalog.TryResolve(Default, path, out var declaration, out var resolvedKey, out var problem), problem);
        Assert.Equal(section, declaration!.Section);
        Assert.Equal(name, declaration.Name);
        Assert.Equal(key, resolvedKey);
        Assert.Equal(path, declaration.PathFor(resolvedKey));
    }

    [Theory]
    [InlineData("routers.spilloverBatch", "$.routers.spilloverBatch")]
    [InlineData("shards.mars.maxQueueDepth", "$.shards[2].maxQueueDepth")]
    [InlineData("nodes.EDGE-HELIOS-PRIME.reliability", "$.nodes[5].reliability")]
    [InlineData("jobTemplates.gpu-research-batch.durationTicks", "$.jobTemplates[7].durationTicks")]
    public void JsonPathFor_PointsIntoTheManifestFile(string path, string jsonPath)
    {
        Assert.True(ParameterCatalog.TryResolve(Default, path, out var declaration, out var key, out _));

        Assert.Equal(jsonPath, declaration!.JsonPathFor(Default, key));
    }

    [Fact]
    public void EveryNumericDeclaration_IsEnforcedByTheManifestValidator()
    {
        // One declaration, two enforcers: a value just outside the range must fail validation at its JSON path.
        var unenforced = new List<string>();
        foreach (var declaration in ParameterCatalog.All.Where(d => d.Kind is ParameterKind.Integer or ParameterKind.Number))
        {
            var key = declaration.KeysIn(Default).First();
            ParameterValue tooLarge = declaration.Kind == ParameterKind.Integer
                ? new ParameterValue.IntegerValue((long)declaration.Max + 1)
                : new ParameterValue.NumberValue(declaration.Max + 0.5);
            var errors = ManifestValidator.Validate(declaration.Write(Default, key, tooLarge));
            if (!errors.Any(e => e.Path == declaration.JsonPathFor(Default, key)))
            {
                unenforced.Add(declaration.PathFor(key));
            }
        }

        Assert.True(unenforced.Count == 0, "ranges the validator does not enforce: " + string.Join(", ", unenforced));
    }
}
