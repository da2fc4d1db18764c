using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.DependencyInjection;
using Planetary.Contracts;
using Planetary.Fabric.Hosting.Redis;
using StackExchange.Redis;
using static Planetary.OwnerControl.Tests.OwnerControlFixture;

namespace Planetary.OwnerControl.Tests;

[Collection(OwnerControlCollection.Name)]
public sealed class JobsApiTests(OwnerControlFixture fixture)
{
    /// <summary>As routers write the books and timelines (RedisJournalStore).</summary>
    private static readonly JsonSerializerOptions BooksJson = new(JsonSerializerDefaults.Web) { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    private HttpClient Client => fixture.Client;

    [Fact(Timeout = TestTimeouts.TestMilliseconds)]
    public async Task A_submitted_batch_reaches_the_shard_routers_queue_with_given_and_generated_ids()
    {
        using var deadline = new CancellationTokenSource(TestTimeouts.Arrival * 2);
        var startedAtMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

        var submitted = await (await Client.SendAsync(Owner(HttpMethod.Post, "/api/jobs",
            """{"shard": "earth", "jobs": [{"id": "job-api-test-1", "template": "governance-review"}, {"template": "research-synthesis"}]}""")))
            .JsonAsync(HttpStatusCode.Accepted);

        var submissionId = submitted.GetProperty("submissionId").GetString()!;
        var ids = submitted.GetProperty("jobIds").EnumerateArray().Select(i => i.GetString()!).ToArray();
        Assert.Equal("earth", submitted.GetProperty("shard").GetString());
        Assert.Equal(2, submitted.GetProperty("count").GetInt32());
        Assert.Equal("job-api-test-1", ids[0]);
        Assert.Matches("^job-[0-9a-f]{32}$", ids[1]);

        var message = await fixture.Broker.TakeAsync<SubmitJobs>("router-earth", m => m.GetProperty("submissionId").GetString() == submissionId, deadline.Token);
        Assert.Equal("earth", message.GetProperty("shardId").GetString());
        var jobs = message.GetProperty("jobs").EnumerateArray().ToArray();
        Assert.Equal(ids, jobs.Select(j => j.GetProperty("jobId").GetString()));
        Assert.Equal(["governance-review", "research-synthesis"], jobs.Select(j => j.GetProperty("template").GetString()));
        Assert.All(jobs, j => Assert.InRange(j.GetProperty("submittedAtMs").GetInt64(), startedAtMs, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()));
    }

    [Fact(Timeout = TestTimeouts.TestMilliseconds)]
    public async Task A_running_job_is_found_on_its_node_and_its_cancellation_goes_to_its_router()
    {
        using var deadline = new CancellationTokenSource(TestTimeouts.Arrival * 2);
        await WriteTimelineAsync("job-running-1",
            Event(5, "job-running-1", "accepted", "earth"),
            Event(6, "job-running-1", "assigned", "earth", "EARTH-TITAN-01", 1));

        var job = await (await Client.GetAsync("/api/jobs/job-running-1")).JsonAsync();

        Assert.Equal("running", job.GetProperty("status").GetString());
        Assert.Equal("earth", job.GetProperty("shard").GetString());
        Assert.Equal("EARTH-TITAN-01", job.GetProperty("node").GetString());
        Assert.Equal(1, job.GetProperty("attempts").GetInt32());
        Assert.Equal(["accepted", "assigned"], job.GetProperty("timeline").EnumerateArray().Select(e => e.GetProperty("event").GetString()));

        var cancel = await (await Client.SendAsync(Owner(HttpMethod.Post, "/api/jobs/job-running-1/cancel", actor: "ops"))).JsonAsync(HttpStatusCode.Accepted);

        Assert.Equal("earth", cancel.GetProperty("shard").GetString());
        var command = await fixture.Broker.TakeAsync<CancelJob>("router-earth", m => m.GetProperty("jobId").GetString() == "job-running-1", deadline.Token);
        Assert.Equal("earth", command.GetProperty("shardId").GetString());
        Assert.Equal("ops", command.GetProperty("actor").GetString());
    }

    [Fact(Timeout = TestTimeouts.TestMilliseconds)]
    public async Task A_job_moving_to_an_ally_is_cancelled_by_the_shard_that_still_holds_it()
    {
        using var deadline = new CancellationTokenSource(TestTimeouts.Arrival * 2);
        await WriteTimelineAsync("job-moving-1",
            Event(5, "job-moving-1", "accepted", "earth"),
            Event(9, "job-moving-1", "spilled", "earth", detail: "luna"));

        var job = await (await Client.GetAsync("/api/jobs/job-moving-1")).JsonAsync();
        Assert.Equal("moving", job.GetProperty("status").GetString());
        Assert.Equal("luna", job.GetProperty("shard").GetString());

        await (await Client.SendAsync(Owner(HttpMethod.Post, "/api/jobs/job-moving-1/cancel"))).JsonAsync(HttpStatusCode.Accepted);

        // earth holds it until luna settles the transfer; earth then passes the cancellation on (or ends the job if it comes back)
        var command = await fixture.Broker.TakeAsync<CancelJob>("router-earth", m => m.GetProperty("jobId").GetString() == "job-moving-1", deadline.Token);
        Assert.Equal("earth", command.GetProperty("shardId").GetString());
    }

    [Fact(Timeout = TestTimeouts.TestMilliseconds)]
    public async Task A_finished_job_shows_its_outcome_and_cannot_be_cancelled()
    {
        await WriteTimelineAsync("job-done-1",
            Event(5, "job-done-1", "accepted", "mars"),
            Event(6, "job-done-1", "assigned", "mars", "MARS-ARES-01", 1),
            Event(8, "job-done-1", "attemptFailed", "mars", "MARS-ARES-01", 1, "node went offline"),
            Event(9, "job-done-1", "assigned", "mars", "MARS-ARES-02", 2),
            Event(11, "job-done-1", "completed", "mars", "MARS-ARES-02", 2));
        var outcome = new JobOutcome("job-done-1", JobOutcomeKind.Completed, "mars", "MARS-ARES-02", 2, 0, "mars", "terraforming-survey", null, 1, 5, 11);
        await Redis.StringSetAsync(RedisKeys.Outcome("job-done-1"), JsonSerializer.Serialize(outcome, BooksJson));

        var job = await (await Client.GetAsync("/api/jobs/job-done-1")).JsonAsync();

        Assert.Equal("completed", job.GetProperty("status").GetString());
        Assert.Equal("MARS-ARES-02", job.GetProperty("node").GetString());
        Assert.Equal(2, job.GetProperty("attempts").GetInt32());
        Assert.Equal("completed", job.GetProperty("outcome").GetProperty("kind").GetString());
        Assert.Equal(5, job.GetProperty("timeline").GetArrayLength());

        await ProblemAssert.IsProblemAsync(
            await Client.SendAsync(Owner(HttpMethod.Post, "/api/jobs/job-done-1/cancel")), HttpStatusCode.Conflict, "job-finished", "job-done-1", "completed");
    }

    private IDatabase Redis => fixture.Factory.Services.GetRequiredService<IConnectionMultiplexer>().GetDatabase();

    private static JobEventRecord Event(long tick, string job, string kind, string shard, string? node = null, int attempt = 0, string? detail = null) =>
        new(tick, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), job, Enum.Parse<Planetary.Fabric.Reporting.JobEventKind>(kind, ignoreCase: true), shard, node, attempt, detail);

    private async Task WriteTimelineAsync(string jobId, params JobEventRecord[] events)
    {
        await Redis.KeyDeleteAsync(RedisKeys.JobTimeline(jobId));
        await Redis.ListRightPushAsync(RedisKeys.JobTimeline(jobId), events.Select(e => (RedisValue)JsonSerializer.Serialize(e, BooksJson)).ToArray());
    }
}
