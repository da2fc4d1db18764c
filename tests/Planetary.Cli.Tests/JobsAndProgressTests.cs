using System.Text.Json;
using Planetary.Fabric.Journal;
using Planetary.Fabric.Reporting;

namespace Planetary.Cli.Tests;

public sealed class JobsAndProgressTests
{
    private const string Job = """
        {"id":"job-7","status":"completed","shard":"earth","node":"EARTH-TITAN-01","attempts":2,
         "outcome":{"jobId":"job-7","kind":"completed","shardId":"earth","nodeId":"EARTH-TITAN-01","attempts":2,"hops":0,"originShard":"earth",
                    "template":"governance-review","reason":null,"submittedAtMs":1000,"acceptedTick":3,"finishedTick":9,
                    "traceParent":"00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01","finishedAtMs":2000},
         "timeline":[
           {"tick":3,"atMs":1000,"job":"job-7","event":"accepted","shard":"earth","node":null,"attempt":0,"detail":null},
           {"tick":4,"atMs":1100,"job":"job-7","event":"assigned","shard":"earth","node":"EARTH-ATHENA-02","attempt":1,"detail":null},
           {"tick":6,"atMs":1300,"job":"job-7","event":"attemptFailed","shard":"earth","node":"EARTH-ATHENA-02","attempt":1,"detail":"node reported failure"},
           {"tick":7,"atMs":1400,"job":"job-7","event":"assigned","shard":"earth","node":"EARTH-TITAN-01","attempt":2,"detail":null},
           {"tick":9,"atMs":2000,"job":"job-7","event":"completed","shard":"earth","node":"EARTH-TITAN-01","attempt":2,"detail":null}]}
        """;

    [Fact]
    public async Task Jobs_get_shows_where_the_job_is_its_outcome_trace_and_timeline()
    {
        await using var owner = new FakeOwnerControl(new Dictionary<string, (int, string)> { ["GET /api/jobs/job-7"] = (200, Job) });

        var run = await CliRunner.PlanetaryAsync("jobs", "get", "job-7", "--url", owner.Url);

        Assert.True(run.ExitCode == 0, run.Output + run.Error);
        Assert.Contains("Job job-7: completed on earth / EARTH-TITAN-01, 2 attempt(s)", run.Output);
        Assert.Contains("outcome   completed (template governance-review, 0 hop(s), from earth)", run.Output);
        Assert.Contains("trace     4bf92f3577b34da6a3ce929d0e0e4736", run.Output);
        Assert.Contains("attemptFailed", run.Output);
        Assert.Contains("node reported failure", run.Output);
        Assert.Contains($"{owner.Url}/#jobs/job-7", run.Output);
        Assert.Equal(["GET /api/jobs/job-7 auth="], owner.Requests);
    }

    [Fact]
    public async Task Jobs_list_pages_through_the_list_with_the_filter_until_it_has_the_limit()
    {
        await using var owner = new FakeOwnerControl(new Dictionary<string, (int, string)>
        {
            ["GET /api/jobs"] = (200, """
                {"jobs":[
                  {"id":"job-9","status":"failed","shard":"mars","template":"terraforming-survey","sinceMs":1764700000000,"attempts":4,"node":null,"reason":"node reported failure (attempt 4 of 4)"},
                  {"id":"job-8","status":"failed","shard":"mars","template":"terraforming-survey","sinceMs":1764699999000,"attempts":4,"node":null,"reason":"timed out"}],
                 "nextCursor":"c-2"}
                """),
        });

        var run = await CliRunner.PlanetaryAsync("jobs", "list", "--state", "failed", "--shard", "mars", "--limit", "3", "--url", owner.Url);

        Assert.True(run.ExitCode == 0, run.Output + run.Error);
        Assert.Equal(["GET /api/jobs?limit=3&state=failed&shard=mars auth=", "GET /api/jobs?limit=1&state=failed&shard=mars&cursor=c-2 auth="], owner.Requests);
        Assert.Contains("job-9", run.Output);
        Assert.Contains("node reported failure (attempt 4 of 4)", run.Output);
        Assert.Contains("2025-12-02 18:26:40", run.Output);
        Assert.Contains("3 job(s); more match", run.Output);
    }

    [Fact]
    public async Task Jobs_requeue_sends_ids_or_the_failed_filter_and_says_what_it_did()
    {
        await using var owner = new FakeOwnerControl(new Dictionary<string, (int, string)>
        {
            ["POST /api/jobs/requeue"] = (202, """
                {"count":2,"dryRun":false,"shards":{"mars":2},"jobIds":["job-8","job-9"],"notRequeued":[{"id":"job-7","reason":"it ended completed, not failed"}]}
                """),
        });

        var byId = await CliRunner.PlanetaryAsync("jobs", "requeue", "job-8", "job-9", "job-7", "--url", owner.Url, "--token", "t");
        var all = await CliRunner.PlanetaryAsync("jobs", "requeue", "--failed", "--shard", "mars", "--url", owner.Url, "--token", "t");
        var neither = await CliRunner.PlanetaryAsync("jobs", "requeue", "--url", owner.Url, "--token", "t");

        Assert.True(byId.ExitCode == 0, byId.Output + byId.Error);
        Assert.Contains("requeued 2 failed job(s) (2 on mars)", byId.Output);
        Assert.Contains("not requeued: job-7: it ended completed, not failed", byId.Output);
        Assert.True(all.ExitCode == 0, all.Output + all.Error);
        Assert.Equal(2, neither.ExitCode);
        Assert.Contains("--failed", neither.Error);
        Assert.Equal(["POST /api/jobs/requeue auth=Bearer t", "POST /api/jobs/requeue auth=Bearer t"], owner.Requests);
        Assert.Equal(
            ["""{"ids":["job-8","job-9","job-7"],"dryRun":false}""", """{"state":"failed","shard":"mars","template":null,"dryRun":false}"""],
            owner.Bodies);
    }

    [Fact]
    public async Task Jobs_get_of_an_unknown_id_prints_the_problem_and_exits_1()
    {
        await using var owner = new FakeOwnerControl(404, "application/problem+json",
            """{"title":"Unknown job","detail":"Nothing is known about job 'nope'."}""");

        var run = await CliRunner.PlanetaryAsync("jobs", "get", "nope", "--url", owner.Url);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("404 Unknown job: Nothing is known about job 'nope'.", run.Error);
    }

    [Fact]
    public async Task Drain_and_resume_node_call_the_node_routes_with_the_token()
    {
        await using var owner = new FakeOwnerControl(new Dictionary<string, (int, string)>
        {
            ["POST /api/nodes/EARTH-TITAN-01/drain"] = (200, """{"path":"nodes.EARTH-TITAN-01.draining","before":false,"after":true,"version":7}"""),
            ["POST /api/nodes/EARTH-TITAN-01/resume"] = (200, """{"path":"nodes.EARTH-TITAN-01.draining","before":true,"after":false,"version":8}"""),
        });

        var drain = await CliRunner.PlanetaryAsync("drain", "EARTH-TITAN-01", "--url", owner.Url, "--token", "t");
        var resume = await CliRunner.PlanetaryAsync("resume", "--node", "EARTH-TITAN-01", "--url", owner.Url, "--token", "t");
        var both = await CliRunner.PlanetaryAsync("resume", "--node", "EARTH-TITAN-01", "--shard", "earth", "--url", owner.Url, "--token", "t");

        Assert.True(drain.ExitCode == 0, drain.Output + drain.Error);
        Assert.Contains("draining EARTH-TITAN-01 (version 7)", drain.Output);
        Assert.True(resume.ExitCode == 0, resume.Output + resume.Error);
        Assert.Contains("resumed EARTH-TITAN-01", resume.Output);
        Assert.Equal(2, both.ExitCode);
        Assert.Equal(["POST /api/nodes/EARTH-TITAN-01/drain auth=Bearer t", "POST /api/nodes/EARTH-TITAN-01/resume auth=Bearer t"], owner.Requests);
    }

    [Fact]
    public async Task Jobs_cancel_sends_the_cancellation_with_the_token()
    {
        await using var owner = new FakeOwnerControl(new Dictionary<string, (int, string)>
        {
            ["POST /api/jobs/job-9/cancel"] = (202, """{"jobId":"job-9","shard":"luna","actor":"cli:root"}"""),
        });

        var run = await CliRunner.PlanetaryAsync("jobs", "cancel", "job-9", "--url", owner.Url, "--token", "t");

        Assert.True(run.ExitCode == 0, run.Output + run.Error);
        Assert.Contains("asked luna to cancel job-9", run.Output);
        Assert.Equal(["POST /api/jobs/job-9/cancel auth=Bearer t"], owner.Requests);
    }

    [Fact]
    public async Task Drill_progress_is_plain_lines_when_the_output_is_not_a_terminal()
    {
        var shards = """{"earth":{"submitted":5,"accepted":5,"finished":5,"queued":0},"luna":{"submitted":5,"accepted":5,"finished":5,"queued":0}}""";
        var summary = JsonSerializer.Serialize(Summary(), FabricJson.Options);
        await using var owner = new FakeOwnerControl(new Dictionary<string, (int, string)>
        {
            ["POST /api/drills"] = (202, $$"""{"id":"d1","state":"running","jobsPerShard":5,"accepted":0,"finished":0,"shards":{{shards}},"events":[]}"""),
            ["GET /api/drills/d1"] = (200, $$"""
                {"id":"d1","state":"completed","jobsPerShard":5,"accepted":10,"finished":10,"shards":{{shards}},
                 "events":["drill d1: 5 jobs per shard","report written"],"summary":{{summary}},"acceptanceFailures":[],"reportDirectory":"/tmp/r/d1"}
                """),
        });

        var run = await CliRunner.PlanetaryAsync("drill", "--jobs-per-shard", "5", "--url", owner.Url, "--token", "t");

        Assert.True(run.ExitCode == 0, run.Output + run.Error);
        Assert.Contains("Drill d1 started: 5 jobs per shard, seed 42", run.Output);
        Assert.Contains("  * drill d1: 5 jobs per shard", run.Output);
        Assert.Contains("  [completed] accepted 10, finished 10 — earth 5/5 q0  luna 5/5 q0", run.Output);
        Assert.Contains("Acceptance: every check holds.", run.Output);
        Assert.DoesNotContain("\u001b[", run.Output); // no cursor movement or colour when redirected
        Assert.Equal(["POST /api/drills auth=Bearer t", "GET /api/drills/d1 auth=Bearer t"], owner.Requests);
    }

    private static DrillSummary Summary() => new(
        "live", 42, 5, 10, 10, 0, 0, 0, 0, 0, 12, 0, 0, 0, 0, 2, false, new QueueSkewSummary(3, 2, 0, 10), 40, 1, "hash",
        [new ShardFigures("earth", 5, 0, 5, 0, 0, 0, 3, 0), new ShardFigures("luna", 5, 0, 5, 0, 0, 0, 2, 0)], [], null, null);
}
