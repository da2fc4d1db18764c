using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Planetary.Contracts;
using Planetary.Fabric.Hosting.Redis;
using Planetary.Fabric.Journal;
using Planetary.Fabric.Reporting;
using Planetary.Fabric.Runtime.Ports;
using StackExchange.Redis;
using static Planetary.OwnerControl.Tests.OwnerControlFixture;

namespace Planetary.OwnerControl.Tests;

/// <summary>
/// The job list and the requeue, against real Redis: commits written through the routers' own journal store (its
/// Lua script keeps the job index), read back through the API.
/// </summary>
[Collection(OwnerControlCollection.Name)]
public sealed class JobQueriesApiTests(OwnerControlFixture fixture)
{
    private const string Review = "governance-review";
    private const string Survey = "terraforming-survey";
    private const long RetentionSeconds = 3_600;

    private HttpClient Client => fixture.Client;

    [Fact(Timeout = TestTimeouts.TestMilliseconds)]
    public async Task Jobs_are_listed_newest_first_by_state_shard_and_template_a_page_at_a_time()
    {
        await ForgetIndexAsync();
        var t0 = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        await CommitAsync("earth", t0, [.. Accept("q1", "q2", "q3", "q4", "q5")], [], Queued("q1", "q2", "q3", "q4", "q5"));
        await CommitAsync("earth", t0 + 1, [new JobAssigned(2, "q1", "EARTH-TITAN-01", 1), new JobAssigned(2, "q2", "EARTH-TITAN-01", 1)], [],
            [new("q1", Review, JobStatus.Running, 0), new("q2", Review, JobStatus.Running, 0)]);
        await FailAsync("mars", t0 + 2, "f1", "f2");

        Assert.Equal(["q5", "q4", "q3"], Ids(await ListAsync("?shard=earth&state=queued")));
        Assert.Equal(["f2", "f1"], Ids(await ListAsync($"?template={Survey}")));

        var failed = (await ListAsync("?state=failed&shard=mars")).GetProperty("jobs")[0];
        Assert.Equal(("f2", "failed", "mars", Survey, 3, "boom on attempt 3"),
            (failed.GetProperty("id").GetString(), failed.GetProperty("status").GetString(), failed.GetProperty("shard").GetString(),
             failed.GetProperty("template").GetString(), failed.GetProperty("attempts").GetInt32(), failed.GetProperty("reason").GetString()));
        var running = (await ListAsync("?state=running")).GetProperty("jobs")[0];
        Assert.Equal(("q2", "EARTH-TITAN-01", 1), (running.GetProperty("id").GetString(), running.GetProperty("node").GetString(), running.GetProperty("attempts").GetInt32()));
        Assert.Equal(t0 + 1, running.GetProperty("sinceMs").GetInt64());

        var pages = new List<string[]>();
        string? cursor = null;
        do
        {
            var page = await ListAsync("?shard=earth&limit=2" + (cursor is null ? "" : $"&cursor={Uri.EscapeDataString(cursor)}"));
            pages.Add(Ids(page));
            cursor = page.GetProperty("nextCursor").ValueKind == JsonValueKind.Null ? null : page.GetProperty("nextCursor").GetString();
        }
        while (cursor is not null);

        Assert.Equal([["q2", "q1"], ["q5", "q4"], ["q3"]], pages);
    }

    [Fact(Timeout = TestTimeouts.TestMilliseconds)]
    public async Task A_bad_filter_cursor_or_limit_is_a_problem_that_says_what_is_allowed()
    {
        await ProblemAssert.IsProblemAsync(await Client.GetAsync("/api/jobs?state=lost"), HttpStatusCode.BadRequest, "invalid-query", "lost", "queued", "rejected");
        await ProblemAssert.IsProblemAsync(await Client.GetAsync("/api/jobs?shard=venus"), HttpStatusCode.NotFound, "unknown-shard", "venus", "earth");
        await ProblemAssert.IsProblemAsync(await Client.GetAsync("/api/jobs?template=nap"), HttpStatusCode.NotFound, "unknown-template", "nap", Review);
        await ProblemAssert.IsProblemAsync(await Client.GetAsync("/api/jobs?cursor=not-a-cursor"), HttpStatusCode.BadRequest, "invalid-query", "nextCursor");
        await ProblemAssert.IsProblemAsync(await Client.GetAsync("/api/jobs?limit=0"), HttpStatusCode.BadRequest, "invalid-query", "limit must be 1 to 500");
    }

    [Fact(Timeout = TestTimeouts.TestMilliseconds)]
    public async Task The_sets_of_finished_jobs_keep_only_the_retention_period()
    {
        await ForgetIndexAsync();
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        await FailAsync("luna", now - (RetentionSeconds * 1000) - 10_000, "old-1");
        await FailAsync("luna", now, "new-1");

        var key = RedisKeys.JobIndex("luna", JobStatus.Failed, Survey);
        Assert.Null(await Redis.SortedSetScoreAsync(key, "old-1"));
        Assert.NotNull(await Redis.SortedSetScoreAsync(key, "new-1"));
        Assert.InRange((await Redis.KeyTimeToLiveAsync(key))!.Value.TotalSeconds, 1, RetentionSeconds);
    }

    [Fact(Timeout = TestTimeouts.TestMilliseconds)]
    public async Task Failed_jobs_are_requeued_by_id_or_by_filter_through_the_router_they_failed_on()
    {
        await ForgetIndexAsync();
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        await FailAsync("mars", now, "rf-1", "rf-2");
        await CommitAsync("earth", now, [.. Accept("rq-1")], [], Queued("rq-1"));
        using var deadline = new CancellationTokenSource(TestTimeouts.Arrival * 2);
        await fixture.Broker.PurgeAsync("router-mars", deadline.Token);

        var dry = await (await Client.SendAsync(Owner(HttpMethod.Post, "/api/jobs/requeue", """{"state": "failed", "shard": "mars", "dryRun": true}"""))).JsonAsync();
        Assert.Equal((2, true), (dry.GetProperty("count").GetInt32(), dry.GetProperty("dryRun").GetBoolean()));
        Assert.Equal(0u, await fixture.Broker.DepthAsync("router-mars", deadline.Token));

        var byId = await (await Client.SendAsync(Owner(HttpMethod.Post, "/api/jobs/requeue", """{"ids": ["rf-1", "rq-1", "never-seen"]}""", actor: "ops")))
            .JsonAsync(HttpStatusCode.Accepted);
        Assert.Equal(1, byId.GetProperty("count").GetInt32());
        Assert.Equal(1, byId.GetProperty("shards").GetProperty("mars").GetInt32());
        Assert.Equal(["rq-1", "never-seen"], byId.GetProperty("notRequeued").EnumerateArray().Select(n => n.GetProperty("id").GetString()));
        var command = await fixture.Broker.TakeAsync<RequeueJobs>("router-mars", _ => true, deadline.Token);
        Assert.Equal(["rf-1"], command.GetProperty("jobIds").EnumerateArray().Select(i => i.GetString()));
        Assert.Equal("ops", command.GetProperty("actor").GetString());

        var all = await (await Client.SendAsync(Owner(HttpMethod.Post, "/api/jobs/requeue", """{"state": "failed"}"""))).JsonAsync(HttpStatusCode.Accepted);
        Assert.Equal(2, all.GetProperty("count").GetInt32());
        var both = await fixture.Broker.TakeAsync<RequeueJobs>("router-mars", _ => true, deadline.Token);
        Assert.Equal(["rf-2", "rf-1"], both.GetProperty("jobIds").EnumerateArray().Select(i => i.GetString()));
    }

    [Fact(Timeout = TestTimeouts.TestMilliseconds)]
    public async Task A_requeue_commit_takes_the_job_out_of_the_books_and_moves_it_from_failed_to_queued()
    {
        await ForgetIndexAsync();
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        await FailAsync("mars", now, "rc-1", "rc-2");
        await Redis.StringSetAsync(RedisKeys.JobId("rc-1"), "mars", TimeSpan.FromHours(1)); // kept for the retention once it failed

        await CommitAsync("mars", now + 1, [new JobRequeued(9, "rc-1", Survey, "mars", 0, 3, now, "owner")], [], [new("rc-1", Survey, JobStatus.Queued, (now + 1) * 1000)]);

        Assert.Equal(["rc-2"], Ids(await ListAsync("?state=failed&shard=mars")));
        Assert.Equal(["rc-1"], Ids(await ListAsync("?state=queued&shard=mars")));
        Assert.False(await Redis.KeyExistsAsync(RedisKeys.Outcome("rc-1")));
        Assert.Equal("mars", await Redis.StringGetAsync(RedisKeys.JobId("rc-1")));
        Assert.Null(await Redis.KeyTimeToLiveAsync(RedisKeys.JobId("rc-1"))); // kept while it is unfinished again
        var job = await (await Client.GetAsync("/api/jobs/rc-1")).JsonAsync();
        Assert.Equal("queued", job.GetProperty("status").GetString());
        Assert.Equal("requeued", job.GetProperty("timeline").EnumerateArray().Last().GetProperty("event").GetString());
    }

    [Fact(Timeout = TestTimeouts.TestMilliseconds)]
    public async Task A_requeue_that_names_nothing_or_what_cannot_be_requeued_is_a_problem_and_sends_nothing()
    {
        await ProblemAssert.IsProblemAsync(await Client.SendAsync(Owner(HttpMethod.Post, "/api/jobs/requeue", "{}")), HttpStatusCode.BadRequest, "missing-value", "ids", "state");
        await ProblemAssert.IsProblemAsync(await Client.SendAsync(Owner(HttpMethod.Post, "/api/jobs/requeue", """{"state": "completed"}""")),
            HttpStatusCode.UnprocessableEntity, "not-requeueable", "failed");
        await ProblemAssert.IsProblemAsync(await Client.SendAsync(Owner(HttpMethod.Post, "/api/jobs/requeue", """{"ids": ["ok-1", "not ok"]}""")),
            HttpStatusCode.UnprocessableEntity, "invalid-jobs", "ids[1]", "nothing was requeued");
        await ProblemAssert.IsProblemAsync(await Client.SendAsync(Owner(HttpMethod.Post, "/api/jobs/requeue", """{"ids": ["ok-1"]}""", token: null)), HttpStatusCode.Unauthorized);
    }

    private IDatabase Redis => fixture.Factory.Services.GetRequiredService<IConnectionMultiplexer>().GetDatabase();

    private RedisJournalStore Store => fixture.Factory.Services.GetRequiredService<RedisJournalStore>();

    private static IEnumerable<JobAccepted> Accept(params string[] ids) => ids.Select(id => new JobAccepted(1, id, Review, "earth", 0, 0, 0, null));

    private static List<JobIndexEntry> Queued(params string[] ids) => ids.Select(id => new JobIndexEntry(id, Review, JobStatus.Queued, 0)).ToList();

    /// <summary>Jobs of the survey template that failed on <paramref name="shard"/> after 3 attempts, committed at <paramref name="atMs"/>.</summary>
    private Task FailAsync(string shard, long atMs, params string[] ids) => CommitAsync(
        shard, atMs,
        ids.Select(id => (JournalEntry)new JobFailed(3, id, "boom on attempt 3")).ToArray(),
        ids.Select(id => new JobOutcome(id, JobOutcomeKind.Failed, shard, null, 3, 0, shard, Survey, "boom on attempt 3", 0, 1, 3, FinishedAtMs: atMs)).ToArray(),
        ids.Select(id => new JobIndexEntry(id, Survey, JobStatus.Failed, 0)).ToList());

    /// <summary>One commit through the routers' journal store, as the router of <paramref name="shard"/> makes it; index orders follow the commit's time.</summary>
    private async Task CommitAsync(string shard, long atMs, IReadOnlyList<JournalEntry> entries, IReadOnlyList<JobOutcome> outcomes, List<JobIndexEntry> index)
    {
        var claim = await Store.ClaimAsync(shard, CancellationToken.None);
        var ordered = index.Select((e, i) => e with { Order = (atMs * 1000) + i }).ToArray();
        await Store.AppendAsync(new JournalCommit(shard, claim.Epoch, claim.LastSeq + 1, 1, entries, outcomes, [], atMs, RetentionSeconds, ordered), CancellationToken.None);
    }

    private async Task ForgetIndexAsync()
    {
        var server = fixture.Factory.Services.GetRequiredService<IConnectionMultiplexer>().GetServers()[0];
        await foreach (var key in server.KeysAsync(pattern: "fabric:jobs:*"))
        {
            await Redis.KeyDeleteAsync(key);
        }
    }

    private async Task<JsonElement> ListAsync(string query) => await (await Client.GetAsync("/api/jobs" + query)).JsonAsync();

    private static string[] Ids(JsonElement page) => page.GetProperty("jobs").EnumerateArray().Select(j => j.GetProperty("id").GetString()!).ToArray();
}
