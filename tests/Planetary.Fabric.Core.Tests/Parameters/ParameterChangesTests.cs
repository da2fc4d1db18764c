using System.Text.Json;
using Planetary.Fabric.Manifest;
using Planetary.Fabric.Parameters;

namespace Planetary.Fabric.Tests.Parameters;

/// <summary>Owner changes: known path, right type, in range, valid result — and a refused change changes nothing.</summary>
public class ParameterChangesTests
{
    private static readonly FabricManifest Default = ManifestLoader.LoadDefault();

    private static ParameterChangeResult Apply(string path, string? text) => ParameterChanges.TryApply(Default, path, text);

    private static ParameterChangeResult ApplyJson(string path, string json)
    {
        using var document = JsonDocument.Parse(json);
        return ParameterChanges.TryApply(Default, path, document.RootElement);
    }

    private static FabricManifest Succeeds(ParameterChangeResult result)
    {
        Assert.True(result.Succeeded, $"{result.Path}: {result.Error} {result.Problem}");
        Assert.Null(result.Error);
        Assert.Null(result.Problem);
        Assert.NotNull(result.Declaration);
        Assert.Empty(ManifestValidator.Validate(result.Manifest!));
        return result.Manifest!;
    }

    private static ParameterChangeResult Fails(ParameterChangeResult result, ParameterChangeError error, params string[] fragments)
    {
        Assert.False(result.Succeeded, $"{result.Path} should have been refused with {error}");
        Assert.Equal(error, result.Error);
        Assert.Null(result.Manifest);
        Assert.Null(result.After);
        foreach (var fragment in fragments)
        {
            Assert.True(result.Problem!.Contains(fragment, StringComparison.Ordinal), $"'{result.Problem}' should mention '{fragment}'");
        }

        return result;
    }

    // ---- accepted ----

    [Fact]
    public void SpilloverBatch64_Succeeds_WithBeforeAndAfter()
    {
        var result = Apply("routers.spilloverBatch", "64");

        var changed = Succeeds(result);
        Assert.Equal("routers.spilloverBatch", result.Path);
        Assert.Equal("32", result.Before);
        Assert.Equal("64", result.After);
        Assert.Equal(64, changed.Routers.SpilloverBatch);
        Assert.Equal("spilloverBatch", result.Declaration!.Name);
        Assert.Equal(32, Default.Routers.SpilloverBatch);
    }

    [Fact]
    public void ChangingOneParameter_ChangesNothingElse()
    {
        var changed = Succeeds(Apply("routers.spilloverBatch", "64"));

        var before = ParameterCatalog.Flatten(Default);
        var after = ParameterCatalog.Flatten(changed);
        var differences = before.Keys.Where(k => before[k] != after[k]).ToList();
        Assert.Equal(["routers.spilloverBatch"], differences);
    }

    [Fact]
    public void ShardThreshold_ChangesOnlyThatShard()
    {
        var result = Apply("shards.earth.spilloverThreshold", "120");

        var changed = Succeeds(result);
        Assert.Equal("60", result.Before);
        Assert.Equal(120, changed.FindShard("earth")!.SpilloverThreshold);
        Assert.All(changed.Shards.Where(s => s.Id != "earth"), s => Assert.Equal(60, s.SpilloverThreshold));
    }

    [Fact]
    public void NodeConcurrency_ChangesOnlyThatNode()
    {
        var result = Apply("nodes.MARS-ARES-02.concurrency", "20");

        var changed = Succeeds(result);
        Assert.Equal("8", result.Before);
        Assert.Equal("20", result.After);
        Assert.Equal(20, changed.FindNode("MARS-ARES-02")!.Concurrency);
        Assert.Equal(10, changed.FindNode("MARS-ARES-01")!.Concurrency);
    }

    [Theory]
    [InlineData("earth,luna")]
    [InlineData(" earth , luna ")]
    [InlineData("[\"earth\",\"luna\"]")]
    [InlineData(" [ \"earth\", \"luna\" ] ")]
    public void ShardList_AsCommaTextOrJsonArrayText_Succeeds(string text)
    {
        var result = Apply("shards.edge.spilloverTargets", text);

        var changed = Succeeds(result);
        Assert.Equal("earth,mars", result.Before);
        Assert.Equal("earth,luna", result.After);
        Assert.Equal(["earth", "luna"], changed.FindShard("edge")!.SpilloverTargets);
    }

    [Fact]
    public void ShardList_AsJsonArray_Succeeds()
    {
        var changed = Succeeds(ApplyJson("shards.edge.spilloverTargets", "[\"earth\", \"luna\", \"mars\"]"));

        Assert.Equal(["earth", "luna", "mars"], changed.FindShard("edge")!.SpilloverTargets);
    }

    [Fact]
    public void EmptySpilloverTargets_Succeeds()
    {
        var changed = Succeeds(Apply("shards.edge.spilloverTargets", ""));

        Assert.Empty(changed.FindShard("edge")!.SpilloverTargets);
    }

    [Fact]
    public void NodeCapabilities_AsJsonArray_SucceedsAndKeepsTheOrderGiven()
    {
        var result = ApplyJson("nodes.LUNA-HYPERION-01.capabilities", "[\"research\", \"validation\", \"logistics\"]");

        var changed = Succeeds(result);
        Assert.Equal("validation,logistics", result.Before);
        Assert.Equal("research,validation,logistics", result.After);
        Assert.Equal(["research", "validation", "logistics"], changed.FindNode("LUNA-HYPERION-01")!.Capabilities);
    }

    [Theory]
    [InlineData("fabric.paused", "true")]
    [InlineData("shards.luna.paused", "TRUE")]
    public void Pause_Succeeds(string path, string text)
    {
        var result = Apply(path, text);

        Succeeds(result);
        Assert.Equal("false", result.Before);
        Assert.Equal("true", result.After);
    }

    [Fact]
    public void PauseOneShard_LeavesTheOthersRunning()
    {
        var changed = Succeeds(ApplyJson("shards.luna.paused", "true"));

        Assert.Equal([false, true, false, false], changed.Shards.Select(s => s.Paused));
        Assert.False(changed.Fabric.Paused);
    }

    [Theory]
    [InlineData("nodes.EARTH-TITAN-01.reliability", "0.5", "0.5")]
    [InlineData("nodes.EARTH-TITAN-01.reliability", "1", "1")]
    [InlineData("execution.timeScale", "0.25", "0.25")]
    [InlineData("jobTemplates.gpu-simulation.weight", "7", "7")]
    [InlineData("routers.hopLimit", "+3", "3")]
    public void Number_IsStoredInItsCanonicalForm(string path, string text, string canonical)
    {
        var changed = Succeeds(Apply(path, text));

        Assert.Equal(canonical, ParameterCatalog.Flatten(changed)[path]);
    }

    // ---- unknown paths ----

    [Theory]
    [InlineData("routers.spilloverbatch", "unknown parameter path 'routers.spilloverbatch'")]
    [InlineData("router.spilloverBatch", "unknown parameter path")]
    [InlineData("routers.turbo", "unknown parameter path")]
    [InlineData("routers", "unknown parameter path")]
    [InlineData("", "unknown parameter path")]
    [InlineData("routers.spilloverBatch.extra", "unknown parameter path")]
    [InlineData("name", "unknown parameter path")]
    [InlineData("shards.earth.id", "unknown parameter path")]
    [InlineData("shards.earth.label", "unknown parameter path")]
    [InlineData("shards.earth", "unknown parameter path")]
    [InlineData("shards.earth.turbo", "unknown parameter path")]
    [InlineData("shards.paused", "unknown parameter path")]
    [InlineData("jobTemplates.gpu-simulation.capabilities", "unknown parameter path")]
    [InlineData("shards.pluto.paused", "unknown shard 'pluto'")]
    [InlineData("shards.EARTH.paused", "unknown shard 'EARTH'")]
    [InlineData("nodes.MARS-ARES-09.concurrency", "unknown node 'MARS-ARES-09'")]
    [InlineData("jobTemplates.quantum-sim.weight", "unknown job template 'quantum-sim'")]
    public void UnknownPath_IsRefused(string path, string problem)
    {
        var result = Fails(Apply(path, "1"), ParameterChangeError.UnknownPath, problem);

        Assert.Equal(path, result.Path);
        Assert.Null(result.Declaration);
    }

    // ---- wrong types ----

    [Theory]
    [InlineData("routers.spilloverBatch", "abc", "expected an integer, got 'abc'")]
    [InlineData("routers.spilloverBatch", "1.5", "expected an integer, got '1.5'")]
    [InlineData("routers.spilloverBatch", "64 jobs", "expected an integer")]
    [InlineData("routers.spilloverBatch", "1,000", "expected an integer")]
    [InlineData("routers.spilloverBatch", "", "expected an integer")]
    [InlineData("routers.spilloverBatch", null, "a value is required")]
    [InlineData("fabric.paused", "yes", "expected true or false, got 'yes'")]
    [InlineData("shards.luna.paused", "1", "expected true or false")]
    [InlineData("nodes.EARTH-TITAN-01.reliability", "high", "expected a number, got 'high'")]
    [InlineData("nodes.EARTH-TITAN-01.reliability", "NaN", "expected a number")]
    [InlineData("execution.timeScale", "Infinity", "expected a number")]
    [InlineData("shards.earth.spilloverTargets", "luna,,mars", "a list item is empty")]
    [InlineData("shards.earth.spilloverTargets", "[\"luna\",", "expected a JSON list of strings")]
    [InlineData("nodes.EARTH-TITAN-01.capabilities", "[\"governance\", 7]", "expected a list of strings, found a number in it")]
    public void WrongTypeText_IsRefused(string path, string? text, string problem)
    {
        var result = Fails(Apply(path, text), ParameterChangeError.WrongType, path, problem);

        Assert.NotNull(result.Declaration);
    }

    [Theory]
    [InlineData("nodes.EARTH-TITAN-01.reliability", "{\"value\": 0.5}", "expected a number, got a JSON object")]
    [InlineData("routers.spilloverBatch", "1.5", "expected an integer")]
    [InlineData("routers.spilloverBatch", "true", "expected an integer, got a JSON true")]
    [InlineData("routers.spilloverBatch", "null", "expected an integer, got a JSON null")]
    [InlineData("routers.spilloverBatch", "[64]", "expected an integer, got a JSON array")]
    [InlineData("fabric.paused", "1", "expected true or false, got a JSON number")]
    [InlineData("fabric.paused", "\"yes\"", "expected true or false, got 'yes'")]
    [InlineData("shards.earth.spilloverTargets", "{\"luna\": true}", "expected a list of shard ids, got a JSON object")]
    [InlineData("shards.earth.spilloverTargets", "[\"luna\", null]", "found a null in it")]
    [InlineData("nodes.EARTH-TITAN-01.capabilities", "42", "expected a list of capability names, got a JSON number")]
    public void WrongTypeJson_IsRefused(string path, string json, string problem)
    {
        Fails(ApplyJson(path, json), ParameterChangeError.WrongType, path, problem);
    }

    // ---- ranges ----

    [Theory]
    [InlineData("routers.spilloverBatch", "0", "1", "10000", "10001")]
    [InlineData("routers.tickMs", "4", "5", "60000", "60001")]
    [InlineData("routers.hopLimit", "-1", "0", "16", "17")]
    [InlineData("routers.maxAttempts", "0", "1", "100", "101")]
    [InlineData("routers.cooldownTicks", "-1", "0", "100000", "100001")]
    [InlineData("checkpoint.intervalTicks", "0", "1", "1000000", "1000001")]
    [InlineData("checkpoint.snapshotsRetained", "0", "1", "1000", "1001")]
    [InlineData("shards.earth.spilloverThreshold", "-1", "0", "10000000", "10000001")]
    [InlineData("shards.mars.maxQueueDepth", "0", "1", "10000000", "10000001")]
    [InlineData("nodes.MARS-ARES-02.concurrency", "0", "1", "4096", "4097")]
    [InlineData("nodes.EDGE-HELIOS-PRIME.reliability", "-0.001", "0", "1", "1.001")]
    [InlineData("jobTemplates.gpu-simulation.weight", "-1", "0", "1000000", "1000000.5")]
    public void Range_RefusesBothEndsAndAcceptsTheExactBounds(string path, string below, string min, string max, string above)
    {
        Fails(Apply(path, below), ParameterChangeError.OutOfRange, path, $"from {min} to {max}", $"got {below}");
        Fails(Apply(path, above), ParameterChangeError.OutOfRange, path, $"from {min} to {max}", $"got {above}");
        Assert.Equal(min, ParameterCatalog.Flatten(Succeeds(Apply(path, min)))[path]);
        Assert.Equal(max, ParameterCatalog.Flatten(Succeeds(Apply(path, max)))[path]);
    }

    [Fact]
    public void IntegerBeyondInt32_IsOutOfRangeNotAnOverflow()
    {
        Fails(Apply("routers.dedupeRetentionTicks", "3000000000"), ParameterChangeError.OutOfRange, "got 3000000000");
    }

    [Fact]
    public void NodeWithNoCapabilities_IsOutOfRange()
    {
        Fails(Apply("nodes.EARTH-ATHENA-02.capabilities", ""), ParameterChangeError.OutOfRange, "must list 1 to 63 items, got 0");
    }

    [Fact]
    public void ListWithARepeatedItem_IsOutOfRange()
    {
        Fails(Apply("shards.earth.spilloverTargets", "luna,mars,luna"), ParameterChangeError.OutOfRange, "must not list an item twice");
    }

    [Fact]
    public void ListLongerThanItsMaximum_IsOutOfRange()
    {
        var text = string.Join(',', Enumerable.Range(0, 65).Select(i => $"s{i}"));

        Fails(Apply("shards.earth.spilloverTargets", text), ParameterChangeError.OutOfRange, "must list 0 to 64 items, got 65");
    }

    // ---- invalid results ----

    [Fact]
    public void RemovingTheOnlyGpuNodesCapability_IsAnInvalidResult()
    {
        var result = Fails(Apply("nodes.EDGE-HELIOS-PRIME.capabilities", "research"), ParameterChangeError.InvalidResult,
            "no node can run template 'gpu-simulation'", "no node can run template 'gpu-research-batch'", "$.jobTemplates[6]");

        Assert.NotNull(result.Declaration);
    }

    [Theory]
    [InlineData("shards.earth.spilloverTargets", "luna,pluto", "unknown shard 'pluto'", "$.shards[0].spilloverTargets[1]")]
    [InlineData("shards.earth.spilloverTargets", "earth", "'earth' cannot spill over to itself", "$.shards[0].spilloverTargets[0]")]
    [InlineData("nodes.EARTH-TITAN-01.capabilities", "governance,quantum", "unknown capability 'quantum'", "$.nodes[0].capabilities[1]")]
    [InlineData("routers.heartbeatGraceTicks", "4", "must be greater than heartbeatIntervalTicks (4)", "$.routers.heartbeatGraceTicks")]
    [InlineData("routers.heartbeatIntervalTicks", "40", "must be greater than heartbeatIntervalTicks (40)", "$.routers.heartbeatGraceTicks")]
    [InlineData("routers.jobTimeoutTicks", "5", "longest scaled template duration (5 ticks)", "$.routers.jobTimeoutTicks")]
    [InlineData("execution.timeScale", "12", "longest scaled template duration (60 ticks)", "$.routers.jobTimeoutTicks")]
    [InlineData("jobTemplates.terraforming-survey.durationTicks", "60", "(60 ticks)", "$.routers.jobTimeoutTicks")]
    [InlineData("routers.transferTimeoutTicks", "3000", "4 × transferTimeoutTicks (12000)", "$.routers.dedupeRetentionTicks")]
    public void ChangeThatWouldInvalidateTheManifest_IsAnInvalidResultNamingWhatBreaks(string path, string text, string problem, string brokenPath)
    {
        // The problem names the field that breaks, which for a cross-field rule is not the one being changed.
        Fails(Apply(path, text), ParameterChangeError.InvalidResult, path, problem, brokenPath);
    }

    [Fact]
    public void ZeroingTheLastTemplateWeight_IsAnInvalidResult()
    {
        var m = Default;
        foreach (var template in Default.JobTemplates.Skip(1))
        {
            m = ParameterChanges.TryApply(m, $"jobTemplates.{template.Name}.weight", "0").Manifest!;
        }

        var result = ParameterChanges.TryApply(m, $"jobTemplates.{Default.JobTemplates[0].Name}.weight", "0");

        Fails(result, ParameterChangeError.InvalidResult, "weight above 0");
    }

    // ---- nothing changes on refusal ----

    public static TheoryData<string, string?> RefusedChanges => new()
    {
        { "routers.nope", "1" },
        { "nodes.GHOST.concurrency", "1" },
        { "routers.spilloverBatch", "abc" },
        { "routers.spilloverBatch", "0" },
        { "nodes.MARS-ARES-02.concurrency", "99999" },
        { "shards.earth.spilloverTargets", "earth" },
        { "nodes.EDGE-HELIOS-PRIME.capabilities", "research" },
        { "routers.heartbeatGraceTicks", "2" },
    };

    [Theory]
    [MemberData(nameof(RefusedChanges))]
    public void RefusedChange_LeavesTheInputManifestUnchanged(string path, string? text)
    {
        var manifest = ManifestLoader.LoadDefault();
        var before = ParameterCatalog.Flatten(manifest);

        var result = ParameterChanges.TryApply(manifest, path, text);

        Assert.False(result.Succeeded);
        Assert.Null(result.Manifest);
        Assert.Equal(before, ParameterCatalog.Flatten(manifest));
    }

    [Fact]
    public void AcceptedChange_ReturnsANewManifestAndLeavesTheInputUnchanged()
    {
        var manifest = ManifestLoader.LoadDefault();
        var before = ParameterCatalog.Flatten(manifest);

        var result = ParameterChanges.TryApply(manifest, "nodes.MARS-ARES-02.capabilities", "terraforming,governance,research");

        Assert.True(result.Succeeded, result.Problem);
        Assert.NotSame(manifest, result.Manifest);
        Assert.Equal(before, ParameterCatalog.Flatten(manifest));
        Assert.Equal(["terraforming", "governance"], manifest.FindNode("MARS-ARES-02")!.Capabilities);
    }

    [Fact]
    public void ChangesCompose_EachValidatedAgainstTheResultOfTheLast()
    {
        // Raising the interval alone would break the grace rule; raising the grace first makes it legal.
        var step1 = ParameterChanges.TryApply(Default, "routers.heartbeatGraceTicks", "200");
        Assert.True(step1.Succeeded, step1.Problem);
        var step2 = ParameterChanges.TryApply(step1.Manifest!, "routers.heartbeatIntervalTicks", "50");
        Assert.True(step2.Succeeded, step2.Problem);

        Assert.Equal(50, step2.Manifest!.Routers.HeartbeatIntervalTicks);
        Assert.Equal(200, step2.Manifest.Routers.HeartbeatGraceTicks);
    }
}
