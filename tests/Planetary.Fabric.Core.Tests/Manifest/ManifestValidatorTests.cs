using Planetary.Fabric.Manifest;
using static Planetary.Fabric.Tests.Manifest.ManifestErrors;

namespace Planetary.Fabric.Tests.Manifest;

/// <summary>The semantic rules, reached through the loader so the reported paths are the ones an owner sees.</summary>
public class ManifestValidatorTests
{
    // ---- ids ----

    [Fact]
    public void DuplicateShardId_IsReportedAtTheSecondOccurrence()
    {
        var errors = ManifestJson.Default().AppendCopy("shards[0]", ("label", "\"Earth Again\"")).Errors();

        AssertSingle(errors, "$.shards[4].id", "duplicate shard id 'earth'", "first at $.shards[0].id");
    }

    [Fact]
    public void DuplicateNodeId_IsReportedAtTheSecondOccurrence()
    {
        var errors = ManifestJson.Default().AppendCopy("nodes[3]", ("shard", "\"edge\"")).Errors();

        AssertSingle(errors, "$.nodes[6].id", "duplicate node id 'MARS-ARES-01'", "first at $.nodes[3].id");
    }

    [Fact]
    public void DuplicateTemplateName_IsReportedAtTheSecondOccurrence()
    {
        var errors = ManifestJson.Default().AppendCopy("jobTemplates[6]", ("weight", "5")).Errors();

        AssertSingle(errors, "$.jobTemplates[8].name", "duplicate template name 'gpu-simulation'", "first at $.jobTemplates[6].name");
    }

    [Fact]
    public void DuplicateCapability_IsReportedAtTheSecondOccurrence()
    {
        var errors = ManifestJson.Default().Append("capabilities", "\"research\"").Errors();

        AssertSingle(errors, "$.capabilities[7]", "duplicate capability 'research'", "first at $.capabilities[3]");
    }

    [Fact]
    public void DuplicateIdWithAnOutOfRangeValue_ReportsBothAtTheirOwnPaths()
    {
        // Range checks read items by position: a duplicate id must neither throw nor point at the first item.
        var errors = ManifestJson.Default().AppendCopy("nodes[4]", ("concurrency", "0")).Errors();

        AssertPaths(errors, "$.nodes[6].id", "$.nodes[6].concurrency");
    }

    [Theory]
    [InlineData("shards", "{ \"id\": \"deep space\", \"label\": \"Deep\", \"spilloverTargets\": [], \"spilloverThreshold\": 1, \"maxQueueDepth\": 1 }", "$.shards[4].id", "'deep space' is not a valid shard id")]
    [InlineData("nodes", "{ \"id\": \"MARS.ARES.03\", \"shard\": \"mars\", \"capabilities\": [\"terraforming\"], \"concurrency\": 1, \"reliability\": 1 }", "$.nodes[6].id", "'MARS.ARES.03' is not a valid node id")]
    [InlineData("jobTemplates", "{ \"name\": \"gpu/sim\", \"capabilities\": [\"research\"], \"durationTicks\": 1, \"weight\": 1 }", "$.jobTemplates[8].name", "'gpu/sim' is not a valid template name")]
    [InlineData("jobTemplates", "{ \"name\": \"-leading-dash\", \"capabilities\": [\"research\"], \"durationTicks\": 1, \"weight\": 1 }", "$.jobTemplates[8].name", "'-leading-dash' is not a valid template name")]
    [InlineData("capabilities", "\"quantum entanglement\"", "$.capabilities[7]", "'quantum entanglement' is not a valid capability")]
    [InlineData("capabilities", "\"\"", "$.capabilities[7]", "'' is not a valid capability")]
    public void InvalidIdCharacters_AreReportedWithTheRule(string list, string item, string path, string message)
    {
        var errors = ManifestJson.Default().Append(list, item).Errors();

        AssertSingle(errors, path, message, "letters, digits, '-' or '_'");
    }

    [Fact]
    public void IdLongerThan64Characters_IsInvalid()
    {
        var errors = ManifestJson.Default().AppendCopy("nodes[0]", ("id", $"\"{new string('N', 65)}\"")).Errors();

        AssertSingle(errors, "$.nodes[6].id", "is not a valid node id", "1-64");
    }

    [Fact]
    public void EmptyNameOrLabel_IsReported()
    {
        var errors = ManifestJson.Default().SetJson("name", "\" \"").SetJson("shards[3].label", "\"\"").Errors();

        AssertPaths(errors, "$.name", "$.shards[3].label");
        Assert.All(errors, e => AssertMentions(e, "must not be empty"));
    }

    [Theory]
    [InlineData("shards")]
    [InlineData("nodes")]
    [InlineData("jobTemplates")]
    public void EmptyList_IsReported(string list)
    {
        var errors = ManifestJson.Default().SetJson(list, "[]").Errors();

        Assert.Contains(errors, e => e.Path == "$." + list && e.Message.StartsWith("at least one", StringComparison.Ordinal));
    }

    // ---- references ----

    [Fact]
    public void UnknownSpilloverTarget_IsReportedAtTheListItem()
    {
        var errors = ManifestJson.Default().SetJson("shards[2].spilloverTargets[1]", "\"pluto\"").Errors();

        AssertSingle(errors, "$.shards[2].spilloverTargets[1]", "unknown shard 'pluto'");
    }

    [Fact]
    public void SelfSpilloverTarget_IsReportedAtTheListItem()
    {
        var errors = ManifestJson.Default().SetJson("shards[0].spilloverTargets[0]", "\"earth\"").Errors();

        AssertSingle(errors, "$.shards[0].spilloverTargets[0]", "'earth' cannot spill over to itself");
    }

    [Fact]
    public void SpilloverTargetListedTwice_IsReportedAtTheSecondOccurrence()
    {
        var errors = ManifestJson.Default().SetJson("shards[3].spilloverTargets", "[\"earth\", \"mars\", \"earth\"]").Errors();

        AssertSingle(errors, "$.shards[3].spilloverTargets[2]", "'earth' is listed twice");
    }

    [Fact]
    public void NoSpilloverTargets_IsAllowed()
    {
        var manifest = ManifestJson.Default().SetJson("shards[3].spilloverTargets", "[]").Valid();

        Assert.Empty(manifest.FindShard("edge")!.SpilloverTargets);
    }

    [Fact]
    public void NodeInUnknownShard_IsReportedAtItsShard()
    {
        var errors = ManifestJson.Default().SetJson("nodes[2].shard", "\"venus\"").Errors();

        AssertSingle(errors, "$.nodes[2].shard", "unknown shard 'venus'");
    }

    [Fact]
    public void UnknownCapabilityOnNode_IsReportedAtTheListItem()
    {
        var errors = ManifestJson.Default().SetJson("nodes[0].capabilities[2]", "\"logistix\"").Errors();

        AssertSingle(errors, "$.nodes[0].capabilities[2]", "unknown capability 'logistix'");
    }

    [Fact]
    public void UnknownCapabilityOnTemplate_IsReportedAtTheListItemOnly()
    {
        // The root cause is the unknown name; "no node can run it" would only repeat it.
        var errors = ManifestJson.Default().SetJson("jobTemplates[4].capabilities[0]", "\"logistix\"").Errors();

        AssertSingle(errors, "$.jobTemplates[4].capabilities[0]", "unknown capability 'logistix'");
    }

    [Theory]
    [InlineData("nodes[1].capabilities", "[\"research\", \"governance\", \"research\"]", "$.nodes[1].capabilities[2]")]
    [InlineData("jobTemplates[0].capabilities", "[\"governance\", \"sovereign-finance\", \"governance\"]", "$.jobTemplates[0].capabilities[2]")]
    public void CapabilityListedTwice_IsReportedAtTheSecondOccurrence(string path, string json, string errorPath)
    {
        var errors = ManifestJson.Default().SetJson(path, json).Errors();

        AssertSingle(errors, errorPath, "is listed twice");
    }

    [Fact]
    public void TemplateNoNodeCanRun_IsReportedWithWhatItNeeds()
    {
        var errors = ManifestJson.Default().SetJson("jobTemplates[6].capabilities", "[\"gpu-acceleration\", \"terraforming\"]").Errors();

        AssertSingle(errors, "$.jobTemplates[6]", "no node can run template 'gpu-simulation'", "gpu-acceleration, terraforming");
    }

    [Fact]
    public void RemovingTheOnlyNodeWithACapability_MakesItsTemplatesUnrunnable()
    {
        var errors = ManifestJson.Default().SetJson("nodes[5].capabilities", "[\"research\"]").Errors();

        AssertPaths(errors, "$.jobTemplates[6]", "$.jobTemplates[7]");
    }

    [Fact]
    public void TemplateWithNoCapabilities_IsReported()
    {
        var errors = ManifestJson.Default().SetJson("jobTemplates[1].capabilities", "[]").Errors();

        AssertSingle(errors, "$.jobTemplates[1].capabilities", "must name at least one capability");
    }

    [Fact]
    public void NodeWithNoCapabilities_IsReported()
    {
        // The catalog declares 1..63 capabilities per node; the loader must enforce that, not only owner changes.
        var errors = ManifestJson.Default().SetJson("nodes[1].capabilities", "[]").Errors();

        AssertSingle(errors, "$.nodes[1].capabilities", "must list 1 to 63 items, got 0");
    }

    [Fact]
    public void MoreCapabilitiesThanTheMaskHolds_IsReported()
    {
        var root = ManifestJson.Default();
        for (var i = 0; i < ManifestValidator.MaxCapabilities + 1 - 7; i++)
        {
            root.Append("capabilities", $"\"extra-{i}\"");
        }

        AssertSingle(root.Errors(), "$.capabilities", "at most 63 capabilities", "got 64");
    }

    [Fact]
    public void ExactlyTheMaximumNumberOfCapabilities_IsAllowed()
    {
        var root = ManifestJson.Default();
        for (var i = 0; i < ManifestValidator.MaxCapabilities - 7; i++)
        {
            root.Append("capabilities", $"\"extra-{i}\"");
        }

        Assert.Equal(63, root.Valid().Capabilities.Count);
    }

    // ---- ranges (declared in the parameter catalog) ----

    [Theory]
    [InlineData("routers.tickMs", "0", "must be an integer from 5 to 60000, got 0")]
    [InlineData("routers.tickMs", "60001", "must be an integer from 5 to 60000, got 60001")]
    [InlineData("nodes[3].reliability", "1.5", "must be a number from 0 to 1, got 1.5")]
    [InlineData("nodes[3].reliability", "-0.1", "must be a number from 0 to 1, got -0.1")]
    [InlineData("shards[1].maxQueueDepth", "0", "must be an integer from 1 to 10000000, got 0")]
    [InlineData("shards[0].spilloverThreshold", "-1", "must be an integer from 0 to 10000000, got -1")]
    [InlineData("checkpoint.snapshotsRetained", "0", "must be an integer from 1 to 1000, got 0")]
    [InlineData("checkpoint.intervalTicks", "0", "must be an integer from 1 to 1000000, got 0")]
    [InlineData("nodes[0].concurrency", "0", "must be an integer from 1 to 4096, got 0")]
    [InlineData("nodes[0].concurrency", "5000", "must be an integer from 1 to 4096, got 5000")]
    [InlineData("routers.hopLimit", "17", "must be an integer from 0 to 16, got 17")]
    [InlineData("routers.maxAttempts", "0", "must be an integer from 1 to 100, got 0")]
    [InlineData("routers.spilloverBatch", "0", "must be an integer from 1 to 10000, got 0")]
    [InlineData("routers.cooldownTicks", "-1", "must be an integer from 0 to 100000, got -1")]
    [InlineData("execution.timeScale", "-1", "must be a number from 0 to 1000, got -1")]
    [InlineData("jobTemplates[2].weight", "-1", "must be a number from 0 to 1000000, got -1")]
    [InlineData("jobTemplates[2].durationTicks", "-1", "must be an integer from 0 to 1000000, got -1")]
    public void OutOfRangeValue_IsReportedAtItsPathWithTheRange(string path, string json, string message)
    {
        var (manifest, errors) = ManifestJson.Default().SetJson(path, json).Load();

        Assert.Null(manifest);
        AssertSingle(errors, "$." + path, message);
    }

    [Theory]
    [InlineData("routers.tickMs", "5")]
    [InlineData("routers.tickMs", "60000")]
    [InlineData("nodes[3].reliability", "0")]
    [InlineData("nodes[3].reliability", "1")]
    [InlineData("shards[1].maxQueueDepth", "1")]
    [InlineData("shards[0].spilloverThreshold", "0")]
    [InlineData("checkpoint.snapshotsRetained", "1")]
    [InlineData("routers.hopLimit", "0")]
    [InlineData("routers.hopLimit", "16")]
    [InlineData("execution.timeScale", "0")]
    [InlineData("jobTemplates[2].weight", "0")]
    public void ValueAtABoundOfItsRange_IsAccepted(string path, string json)
    {
        ManifestJson.Default().SetJson(path, json).Valid();
    }

    // ---- cross-field rules ----

    [Theory]
    [InlineData("2", "2")]
    [InlineData("10", "10")]
    [InlineData("11", "10")]
    public void HeartbeatGraceNotAboveTheInterval_IsReportedAtTheGrace(string interval, string grace)
    {
        var errors = ManifestJson.Default()
            .SetJson("routers.heartbeatIntervalTicks", interval)
            .SetJson("routers.heartbeatGraceTicks", grace)
            .Errors();

        AssertSingle(errors, "$.routers.heartbeatGraceTicks", $"must be greater than heartbeatIntervalTicks ({interval})", "offline");
    }

    [Fact]
    public void HeartbeatGraceOneAboveTheInterval_IsAccepted()
    {
        ManifestJson.Default().SetJson("routers.heartbeatIntervalTicks", "9").SetJson("routers.heartbeatGraceTicks", "10").Valid();
    }

    [Fact]
    public void JobTimeoutNotAboveTheLongestTemplate_IsReported()
    {
        // terraforming-survey takes 5 ticks, the longest.
        var errors = ManifestJson.Default().SetJson("routers.jobTimeoutTicks", "5").Errors();

        AssertSingle(errors, "$.routers.jobTimeoutTicks", "longest scaled template duration (5 ticks)");
        ManifestJson.Default().SetJson("routers.jobTimeoutTicks", "6").Valid();
    }

    [Fact]
    public void JobTimeoutNotAboveTheLongestTemplateAfterTimeScale_IsReported()
    {
        // 5 ticks × 12 = 60 = the default jobTimeoutTicks: every attempt of terraforming-survey would time out.
        var errors = ManifestJson.Default().SetJson("execution.timeScale", "12").Errors();

        AssertSingle(errors, "$.routers.jobTimeoutTicks", "(60 ticks)");
        ManifestJson.Default().SetJson("execution.timeScale", "11.8").Valid();
    }

    [Fact]
    public void DedupeRetentionNotAboveFourTransferTimeouts_IsReported()
    {
        var errors = ManifestJson.Default().SetJson("routers.dedupeRetentionTicks", "80").Errors();

        AssertSingle(errors, "$.routers.dedupeRetentionTicks", "4 × transferTimeoutTicks (80)");
        ManifestJson.Default().SetJson("routers.dedupeRetentionTicks", "81").Valid();
    }

    [Fact]
    public void HugeTransferTimeout_StillTriggersTheDedupeRule()
    {
        // 4 × int.MaxValue must not overflow into a negative bound that lets any retention pass.
        var errors = ManifestJson.Default().SetJson("routers.transferTimeoutTicks", int.MaxValue.ToString()).Errors();

        AssertPaths(errors, "$.routers.transferTimeoutTicks", "$.routers.dedupeRetentionTicks");
    }

    [Fact]
    public void AllTemplateWeightsZero_IsReported()
    {
        var root = ManifestJson.Default();
        for (var i = 0; i < 8; i++)
        {
            root.SetJson($"jobTemplates[{i}].weight", "0");
        }

        AssertSingle(root.Errors(), "$.jobTemplates", "weight above 0");
    }

    // ---- all at once ----

    [Fact]
    public void ManySemanticProblems_AreAllReportedAtOnce()
    {
        var root = ManifestJson.Default()
            .SetJson("name", "\"\"")
            .Append("capabilities", "\"research\"")
            .SetJson("shards[0].spilloverTargets[0]", "\"pluto\"")
            .SetJson("shards[1].maxQueueDepth", "0")
            .SetJson("shards[3].spilloverTargets[1]", "\"edge\"")
            .SetJson("nodes[2].shard", "\"venus\"")
            .SetJson("nodes[3].reliability", "1.5")
            .SetJson("nodes[4].capabilities[1]", "\"governance\"")
            .SetJson("nodes[4].capabilities[0]", "\"governance\"")
            .SetJson("jobTemplates[6].capabilities", "[\"gpu-acceleration\", \"terraforming\"]")
            .SetJson("routers.tickMs", "0")
            .SetJson("routers.heartbeatGraceTicks", "2")
            .SetJson("routers.dedupeRetentionTicks", "80")
            .SetJson("checkpoint.snapshotsRetained", "0");

        var (manifest, errors) = root.Load();

        Assert.Null(manifest);
        Assert.Equal(13, errors.Count);
        AssertPaths(errors,
            "$.name",
            "$.capabilities[7]",
            "$.shards[0].spilloverTargets[0]",
            "$.shards[1].maxQueueDepth",
            "$.shards[3].spilloverTargets[1]",
            "$.nodes[2].shard",
            "$.nodes[3].reliability",
            "$.nodes[4].capabilities[1]",
            "$.jobTemplates[6]",
            "$.routers.tickMs",
            "$.routers.heartbeatGraceTicks",
            "$.routers.dedupeRetentionTicks",
            "$.checkpoint.snapshotsRetained");
    }

    [Fact]
    public void Validate_OfTheDefaultManifest_FindsNothing()
    {
        Assert.Empty(ManifestValidator.Validate(ManifestLoader.LoadDefault()));
    }

    [Fact]
    public void Validate_OfARecordWithDuplicateIds_ReportsInsteadOfThrowing()
    {
        var m = ManifestLoader.LoadDefault();
        var duplicated = m with { Shards = [.. m.Shards, m.Shards[0]], JobTemplates = [.. m.JobTemplates, m.JobTemplates[0]] };

        AssertPaths(ManifestValidator.Validate(duplicated), "$.shards[4].id", "$.jobTemplates[8].name");
    }
}
