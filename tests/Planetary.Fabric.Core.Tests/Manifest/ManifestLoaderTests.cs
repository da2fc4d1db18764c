using Planetary.Fabric.Manifest;
using static Planetary.Fabric.Tests.Manifest.ManifestErrors;

namespace Planetary.Fabric.Tests.Manifest;

/// <summary>The loader's own checks: JSON syntax, shape, required and unknown properties, and types.</summary>
public class ManifestLoaderTests
{
    [Fact]
    public void MalformedJson_ReportsOneRootErrorWithLineAndPosition()
    {
        const string json = "{\n  \"name\": \"x\",\n  \"capabilities\": [\"a\"]\n  \"shards\": []\n}";

        var (manifest, errors) = ManifestLoader.Load(json);

        Assert.Null(manifest);
        AssertSingle(errors, "$", "malformed JSON", "line 4", "byte 3");
    }

    [Fact]
    public void TruncatedJson_ReportsMalformedJsonInsteadOfThrowing()
    {
        var json = ManifestJson.DefaultText[..(ManifestJson.DefaultText.Length / 2)];

        var (manifest, errors) = ManifestLoader.Load(json);

        Assert.Null(manifest);
        AssertSingle(errors, "$", "malformed JSON", "line ");
    }

    [Fact]
    public void EmptyText_ReportsMalformedJson()
    {
        AssertSingle(ManifestLoader.Load("").Errors, "$", "malformed JSON", "does not contain any JSON");
    }

    [Theory]
    [InlineData("[1, 2]", "a list")]
    [InlineData("42", "the number 42")]
    [InlineData("\"fabric\"", "the string \"fabric\"")]
    [InlineData("null", "null")]
    public void RootNotAnObject_ReportsExpectedAnObjectAtRoot(string json, string described)
    {
        var (manifest, errors) = ManifestLoader.Load(json);

        Assert.Null(manifest);
        AssertSingle(errors, "$", "expected an object", described);
    }

    [Fact]
    public void CommentsAndTrailingCommas_AreAccepted()
    {
        var json = "// the owner's notes\n" + ManifestJson.DefaultText.Replace("\"snapshotsRetained\": 3 }", "\"snapshotsRetained\": 3, /* keep three */ }");

        var (manifest, errors) = ManifestLoader.Load(json);

        Assert.Empty(errors);
        Assert.Equal(3, manifest!.Checkpoint.SnapshotsRetained);
    }

    [Fact]
    public void OptionalSections_TakeTheirDefaultsWhenAbsent()
    {
        var manifest = ManifestJson.Default().Without("fabric").Without("execution").Valid();

        Assert.False(manifest.Fabric.Paused);
        Assert.Equal(1.0, manifest.Execution.TimeScale);
        Assert.All(manifest.Shards, s => Assert.False(s.Paused));
    }

    [Fact]
    public void PausedShardAndFabric_AreRead()
    {
        var manifest = ManifestJson.Default().SetJson("shards[1].paused", "true").SetJson("fabric.paused", "true").Valid();

        Assert.True(manifest.Fabric.Paused);
        Assert.Equal([false, true, false, false], manifest.Shards.Select(s => s.Paused));
    }

    [Theory]
    [InlineData("name")]
    [InlineData("capabilities")]
    [InlineData("shards")]
    [InlineData("routers")]
    [InlineData("checkpoint")]
    [InlineData("routers.tickMs")]
    [InlineData("routers.dedupeRetentionTicks")]
    [InlineData("checkpoint.intervalTicks")]
    [InlineData("shards[2].spilloverTargets")]
    [InlineData("shards[0].label")]
    [InlineData("nodes[2].reliability")]
    [InlineData("nodes[4].shard")]
    [InlineData("jobTemplates[3].durationTicks")]
    [InlineData("jobTemplates[0].weight")]
    public void MissingRequiredProperty_IsReportedAtItsPath(string path)
    {
        var (manifest, errors) = ManifestJson.Default().Without(path).Load();

        Assert.Null(manifest);
        AssertSingle(errors, "$." + path, "is required");
    }

    [Fact]
    public void MisspeltProperty_IsReportedAsUnknownWithASuggestion_AndTheRealOneAsMissing()
    {
        var root = ManifestJson.Default();
        root.SetJson("shards[0].spilloverThreshhold", "60").Without("shards[0].spilloverThreshold");

        var errors = root.Errors();

        AssertPaths(errors, "$.shards[0].spilloverThreshhold", "$.shards[0].spilloverThreshold");
        AssertMentions(errors.Single(e => e.Path == "$.shards[0].spilloverThreshhold"),
            "unknown property", "did you mean 'spilloverThreshold'?", "maxQueueDepth");
        AssertMentions(errors.Single(e => e.Path == "$.shards[0].spilloverThreshold"), "is required");
    }

    [Theory]
    [InlineData("routers.tickms", "tickMs")]
    [InlineData("routers.hopLmit", "hopLimit")]
    [InlineData("nodes[3].concurency", "concurrency")]
    [InlineData("checkpoint.snapshotRetained", "snapshotsRetained")]
    public void UnknownPropertyCloseToAKnownOne_SuggestsIt(string path, string suggestion)
    {
        var errors = ManifestJson.Default().SetJson(path, "1").Errors();

        AssertSingle(errors, "$." + path, "unknown property", $"did you mean '{suggestion}'?");
    }

    [Theory]
    [InlineData("owner")]
    [InlineData("routers.turbo")]
    [InlineData("nodes[5].gpuCount")]
    [InlineData("fabric.mode")]
    public void UnknownProperty_IsReportedWithTheKnownNames(string path)
    {
        var errors = ManifestJson.Default().SetJson(path, "1").Errors();

        var error = AssertSingle(errors, "$." + path, "unknown property", "known here:");
        Assert.DoesNotContain("did you mean", error.Message);
    }

    [Fact]
    public void PropertyGivenTwice_IsReportedInsteadOfSilentlyTakingOne()
    {
        var json = ManifestJson.DefaultText.Replace("\"tickMs\": 50,", "\"tickMs\": 50, \"tickMs\": 0,");
        Assert.NotEqual(ManifestJson.DefaultText, json);

        AssertSingle(ManifestLoader.Load(json).Errors, "$.routers.tickMs", "more than once");
    }

    [Theory]
    [InlineData("routers.tickMs", "\"50\"", "expected an integer, got the string \"50\"")]
    [InlineData("nodes[1].concurrency", "1.5", "expected an integer, got the number 1.5")]
    [InlineData("checkpoint.intervalTicks", "true", "expected an integer, got true")]
    [InlineData("shards[0].maxQueueDepth", "3000000000", "outside the integer range")]
    [InlineData("routers.hopLimit", "null", "expected an integer, got null")]
    [InlineData("capabilities", "5", "expected a list of strings, got the number 5")]
    [InlineData("shards[1].spilloverTargets", "\"earth\"", "expected a list of strings, got the string \"earth\"")]
    [InlineData("nodes[0].capabilities[1]", "7", "expected a string, got the number 7")]
    [InlineData("name", "{}", "expected a string, got an object")]
    [InlineData("nodes[2].shard", "[\"luna\"]", "expected a string, got a list")]
    [InlineData("nodes[0].reliability", "\"high\"", "expected a number, got the string \"high\"")]
    [InlineData("execution.timeScale", "false", "expected a number, got false")]
    [InlineData("shards[0].paused", "\"yes\"", "expected true or false, got the string \"yes\"")]
    [InlineData("fabric.paused", "1", "expected true or false, got the number 1")]
    [InlineData("shards", "{}", "expected a list, got an object")]
    [InlineData("nodes[3]", "\"MARS-ARES-01\"", "expected an object, got the string \"MARS-ARES-01\"")]
    [InlineData("routers", "[]", "expected an object, got a list")]
    [InlineData("execution", "2", "expected an object, got the number 2")]
    public void WrongType_IsReportedAtItsPathWithWhatWasFound(string path, string json, string message)
    {
        var (manifest, errors) = ManifestJson.Default().SetJson(path, json).Load();

        Assert.Null(manifest);
        AssertSingle(errors, "$." + path, message);
    }

    [Fact]
    public void LongStringValue_IsClippedInTheMessage()
    {
        var errors = ManifestJson.Default().SetJson("routers.tickMs", "\"" + new string('x', 500) + "\"").Errors();

        var error = AssertSingle(errors, "$.routers.tickMs", "expected an integer");
        Assert.True(error.Message.Length < 120, error.Message);
    }

    [Fact]
    public void ManyStructuralProblems_AreAllReportedAtOnce()
    {
        var root = ManifestJson.Default()
            .SetJson("owner", "\"me\"")
            .Without("routers.tickMs")
            .SetJson("nodes[1].concurrency", "\"ten\"")
            .SetJson("shards[2].paused", "\"no\"")
            .SetJson("jobTemplates[0].weight", "\"heavy\"")
            .SetJson("nodes[4].gpu", "true")
            .Without("checkpoint.intervalTicks")
            .SetJson("capabilities[2]", "null")
            .SetJson("jobTemplates[5]", "[]");

        var (manifest, errors) = root.Load();

        Assert.Null(manifest);
        Assert.Equal(9, errors.Count);
        AssertPaths(errors,
            "$.owner",
            "$.routers.tickMs",
            "$.nodes[1].concurrency",
            "$.shards[2].paused",
            "$.jobTemplates[0].weight",
            "$.nodes[4].gpu",
            "$.checkpoint.intervalTicks",
            "$.capabilities[2]",
            "$.jobTemplates[5]");
    }

    [Fact]
    public void LoadOrThrow_OfAnInvalidManifest_ThrowsWithEveryError()
    {
        var json = ManifestJson.Default().SetJson("routers.tickMs", "0").SetJson("nodes[0].reliability", "2").ToJsonString();

        var exception = Assert.Throws<InvalidManifestException>(() => ManifestLoader.LoadOrThrow(json));

        AssertPaths(exception.Errors, "$.routers.tickMs", "$.nodes[0].reliability");
        Assert.Contains("$.routers.tickMs: must be an integer from 5 to 60000, got 0", exception.Message);
        Assert.Contains("$.nodes[0].reliability: must be a number from 0 to 1, got 2", exception.Message);
    }

    [Fact]
    public void LoadFile_ReadsAManifestFromDisk()
    {
        var path = Path.Combine(Path.GetTempPath(), $"fabric-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, ManifestJson.Default().SetJson("routers.spilloverBatch", "7").ToJsonString());
        try
        {
            Assert.Equal(7, ManifestLoader.LoadFile(path).Routers.SpilloverBatch);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
