namespace Planetary.Cli.Tests;

public sealed class CliTests
{
    [Fact]
    public async Task Simulate_runs_the_drill_writes_the_bundle_and_exits_0_when_every_check_holds()
    {
        await WithBundleDirectoryAsync(async directory =>
        {
            var run = await CliRunner.PlanetaryAsync("simulate", "--jobs-per-shard", "300", "--seed", "5", "--out", directory);

            Assert.True(run.ExitCode == 0, run.Output + run.Error);
            Assert.Contains("jobs submitted           1200", run.Output);
            Assert.Contains("resumed from checkpoint  yes", run.Output);
            foreach (var file in new[] { "summary.json", "owner-log.json", "checkpoints.json", "nodes.json", "topology.mmd", "events.ndjson" })
            {
                Assert.True(File.Exists(Path.Combine(directory, file)), file);
            }

            var report = await CliRunner.PlanetaryAsync("report", "--dir", directory);
            Assert.Equal(0, report.ExitCode);
            Assert.Contains("Acceptance: every check holds.", report.Output);
        });
    }

    [Fact]
    public async Task Simulate_takes_a_text_seed_and_reports_it_as_given()
    {
        await WithBundleDirectoryAsync(async directory =>
        {
            var run = await CliRunner.PlanetaryAsync("simulate", "--jobs-per-shard", "200", "--seed", "planetary-fabric", "--out", directory);

            Assert.True(run.ExitCode == 0, run.Output + run.Error);
            Assert.Contains("seed planetary-fabric,", run.Output);
            Assert.Matches(@"slot ceiling +\d+\.\d s \(\d+ ticks, \d+ slot-ticks of work\): all 68 slots", run.Output);
            Assert.Matches(@"utilisation +\d+ % of the ceiling", run.Output);
            Assert.Contains("\"seedText\": \"planetary-fabric\"", File.ReadAllText(Path.Combine(directory, "summary.json")));
        });
    }

    /// <summary>Runs <paramref name="test"/> with a fresh directory for a report bundle, deleted afterwards.</summary>
    private static async Task WithBundleDirectoryAsync(Func<string, Task> test)
    {
        var directory = Path.Combine(Path.GetTempPath(), $"planetary-cli-{Guid.NewGuid():N}");
        try
        {
            await test(directory);
        }
        finally
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
    }

    [Fact]
    public async Task Simulate_refuses_a_bad_job_count_with_a_message_and_exit_code_2()
    {
        var run = await CliRunner.PlanetaryAsync("simulate", "--jobs-per-shard", "0");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--jobs-per-shard must be from 1 to 1000000", run.Error);
    }

    [Theory]
    [InlineData("--faults", "kill-service,unplug-the-datacentre", "'unplug-the-datacentre' is not a fault kind")]
    [InlineData("--quiet-seconds", "6-1", "--quiet-seconds and --pause-seconds take MIN-MAX")]
    [InlineData("--minutes", "0", "--minutes must be more than 0")]
    public async Task Chaos_refuses_bad_options_before_touching_the_fleet(string option, string value, string message)
    {
        var run = await CliRunner.PlanetaryAsync("chaos", option, value, "--url", "http://127.0.0.1:9");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains(message, run.Error);
    }

    [Fact]
    public async Task Chaos_without_a_running_fleet_says_so_and_attacks_nothing()
    {
        var directory = Path.Combine(Path.GetTempPath(), $"chaos-{Guid.NewGuid():N}");
        var run = await CliRunner.PlanetaryAsync("chaos", "--minutes", "1", "--url", "http://127.0.0.1:9", "--out", directory);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("no process listens on http://127.0.0.1:9/", run.Error);
        Assert.Contains("Start the fleet first", run.Error);
        Assert.False(File.Exists(Path.Combine(directory, "history.json")));
    }

    [Fact]
    public async Task Report_without_a_bundle_says_how_to_make_one()
    {
        var run = await CliRunner.PlanetaryAsync("report", "--dir", Path.Combine(Path.GetTempPath(), $"nothing-{Guid.NewGuid():N}"));

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("run a drill first", run.Error);
    }

    [Fact]
    public async Task A_command_says_when_the_fleet_is_not_running()
    {
        var run = await CliRunner.PlanetaryAsync("owner", "set", "routers.spilloverBatch", "64", "--url", "http://127.0.0.1:1");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("owner control is not reachable at http://127.0.0.1:1", run.Error);
        Assert.Contains("scripts/run-fabric.sh", run.Error);
    }

    [Fact]
    public async Task A_refused_token_is_explained_with_where_to_find_the_right_one()
    {
        await using var owner = new FakeOwnerControl(401, "application/problem+json", """{"title":"Owner token required","detail":"The bearer token is wrong."}""");

        var run = await CliRunner.PlanetaryAsync("pause", "--url", owner.Url, "--token", "wrong");

        Assert.Equal(3, run.ExitCode);
        Assert.Contains("the owner token was refused (Owner token required: The bearer token is wrong.)", run.Error);
        Assert.Contains(".tmp/owner-token", run.Error);
        Assert.Equal(["POST /api/pause auth=Bearer wrong"], owner.Requests);
    }

    [Fact]
    public async Task A_refused_change_prints_the_problem_and_exits_1()
    {
        await using var owner = new FakeOwnerControl(422, "application/problem+json",
            """{"title":"Value out of range","detail":"routers.spilloverBatch must be an integer from 1 to 10000, got 0"}""");

        var run = await CliRunner.PlanetaryAsync("owner", "set", "routers.spilloverBatch", "0", "--url", owner.Url, "--token", "t");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("422 Value out of range: routers.spilloverBatch must be an integer from 1 to 10000, got 0", run.Error);
        Assert.Equal(["PUT /api/parameters/routers.spilloverBatch auth=Bearer t"], owner.Requests);
        Assert.Equal(["""{"value":0}"""], owner.Bodies);
    }

    [Theory]
    [InlineData("64", "64")]
    [InlineData("0.98", "0.98")]
    [InlineData("true", "true")]
    [InlineData("[\"earth\",\"mars\"]", "[\"earth\",\"mars\"]")]
    [InlineData("earth,mars", "\"earth,mars\"")]
    [InlineData("[not json", "\"[not json\"")]
    public async Task Owner_set_sends_numbers_booleans_and_lists_as_JSON_and_anything_else_as_text(string value, string sent)
    {
        await using var owner = new FakeOwnerControl(200, "application/json", """{"path":"p","value":1,"version":2}""");

        await CliRunner.PlanetaryAsync("owner", "set", "p", value, "--url", owner.Url, "--token", "t");

        Assert.Equal([$"{{\"value\":{sent}}}"], owner.Bodies);
    }

    [Fact]
    public async Task Pause_of_one_shard_names_it_in_the_request()
    {
        await using var owner = new FakeOwnerControl(200, "application/json", """{"version": 7}""");

        var run = await CliRunner.PlanetaryAsync("pause", "--shard", "earth", "--url", owner.Url, "--token", "t");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("paused earth (version 7)", run.Output);
        Assert.Equal(["POST /api/pause?shard=earth auth=Bearer t"], owner.Requests);
    }
}
