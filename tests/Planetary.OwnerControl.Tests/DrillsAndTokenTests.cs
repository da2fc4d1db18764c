using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Planetary.OwnerControl.Drills;
using static Planetary.OwnerControl.Tests.OwnerControlFixture;

namespace Planetary.OwnerControl.Tests;

[Collection(OwnerControlCollection.Name)]
public sealed class DrillsAndTokenTests(OwnerControlFixture fixture)
{
    [Fact(Timeout = TestTimeouts.TestMilliseconds)]
    public async Task Without_a_drill_runner_drills_answer_503_problems()
    {
        await using var factory = fixture.CreateFactory(OwnerControlFixture.Token, services => services.RemoveAll<IDrillRunner>());
        using var client = factory.CreateClient();

        await ProblemAssert.IsProblemAsync(await client.GetAsync("/api/drills"), HttpStatusCode.ServiceUnavailable, "drills-unavailable", "drills are not available");
        await ProblemAssert.IsProblemAsync(await client.GetAsync("/api/drills/drill-1"), HttpStatusCode.ServiceUnavailable, "drills-unavailable");
        await ProblemAssert.IsProblemAsync(
            await client.SendAsync(Owner(HttpMethod.Post, "/api/drills", "{}")), HttpStatusCode.ServiceUnavailable, "drills-unavailable", "drills are not available");
    }

    [Fact(Timeout = TestTimeouts.TestMilliseconds)]
    public async Task Drills_start_one_at_a_time_and_are_listed_and_found()
    {
        var runner = new FakeDrillRunner();
        await using var factory = fixture.CreateFactory(OwnerControlFixture.Token, services => services.AddSingleton<IDrillRunner>(runner));
        using var client = factory.CreateClient();

        using var started = await client.SendAsync(Owner(HttpMethod.Post, "/api/drills", """{"jobsPerShard": 100, "seed": 7, "faults": {"routerCrash": false}}""", actor: "drill-lead"));
        var drill = await started.JsonAsync(HttpStatusCode.Accepted);

        var id = drill.GetProperty("id").GetString()!;
        Assert.Equal($"/api/drills/{id}", started.Headers.Location?.OriginalString);
        Assert.Equal("running", drill.GetProperty("state").GetString());
        Assert.Equal("drill-lead", drill.GetProperty("actor").GetString());
        Assert.Equal(new DrillRequest(100, "7", null, new DrillFaultRequest(RouterCrash: false)), runner.Requests.Single());

        await ProblemAssert.IsProblemAsync(
            await client.SendAsync(Owner(HttpMethod.Post, "/api/drills", "{}")), HttpStatusCode.Conflict, "drill-running", id, "one drill runs at a time");
        Assert.Single(runner.Requests);

        var listed = await (await client.GetAsync("/api/drills")).JsonAsync();
        Assert.Equal(1, listed.GetProperty("count").GetInt32());
        Assert.Equal(id, (await (await client.GetAsync($"/api/drills/{id}")).JsonAsync()).GetProperty("id").GetString());
        await ProblemAssert.IsProblemAsync(await client.GetAsync("/api/drills/drill-nope"), HttpStatusCode.NotFound, "unknown-drill", "drill-nope");

        runner.Finish();
        await ProblemAssert.IsProblemAsync(
            await client.SendAsync(Owner(HttpMethod.Post, "/api/drills", """{"jobsPerShard": 0}""")), HttpStatusCode.UnprocessableEntity, "invalid-drill", "jobsPerShard");
        await ProblemAssert.IsProblemAsync(
            await client.SendAsync(Owner(HttpMethod.Post, "/api/drills", """{"jobsPerShard": "lots"}""")), HttpStatusCode.BadRequest, "malformed-request", "$.jobsPerShard");

        using var empty = await client.SendAsync(Owner(HttpMethod.Post, "/api/drills"));
        Assert.Equal(HttpStatusCode.Accepted, empty.StatusCode);
        Assert.Equal(new DrillRequest(), runner.Requests.Last());

        runner.Finish();
        using var worded = await client.SendAsync(Owner(HttpMethod.Post, "/api/drills", """{"jobsPerShard": 10, "seed": "planetary-fabric"}"""));
        Assert.Equal(HttpStatusCode.Accepted, worded.StatusCode);
        Assert.Equal("planetary-fabric", runner.Requests.Last().Seed); // a text seed, as the original demo's
    }

    [Fact(Timeout = TestTimeouts.TestMilliseconds)]
    public async Task Without_an_owner_token_configured_every_change_is_refused_and_reads_stay_open()
    {
        await using var factory = fixture.CreateFactory(token: null);
        using var client = factory.CreateClient();
        var version = (await fixture.Parameters.CurrentAsync())?.Version ?? 0;

        foreach (var token in new[] { null, string.Empty, "anything" })
        {
            await ProblemAssert.IsProblemAsync(
                await client.SendAsync(Owner(HttpMethod.Post, "/api/pause", token: token)), HttpStatusCode.ServiceUnavailable, "owner-token-not-configured", "OwnerControl:Token");
        }

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/parameters")).StatusCode);
        Assert.Equal(version, (await fixture.Parameters.CurrentAsync())?.Version ?? 0);
    }

    /// <summary>Accepts drills with at least one job per shard, one at a time.</summary>
    private sealed class FakeDrillRunner : IDrillRunner
    {
        private readonly List<DrillProgress> _drills = [];

        public List<DrillRequest> Requests { get; } = [];

        public Task<DrillStart> StartAsync(DrillRequest request, string actor, CancellationToken cancellationToken)
        {
            if (request.JobsPerShard is < 1)
            {
                return Task.FromResult(new DrillStart(null, DrillRefusal.Invalid, $"jobsPerShard must be at least 1, got {request.JobsPerShard}"));
            }

            if (_drills.FirstOrDefault(d => d.State is DrillState.Running or DrillState.Settling) is { } running)
            {
                return Task.FromResult(new DrillStart(null, DrillRefusal.Busy, $"Drill {running.Id} (started by {running.Actor}) is running; one drill runs at a time."));
            }

            Requests.Add(request);
            var drill = new DrillProgress(
                $"drill-{_drills.Count + 1}", DrillState.Running, actor, 1, null, request.JobsPerShard ?? 10_000, ulong.TryParse(request.Seed, out var seed) ? seed : 42,
                0, 0, 0, new Dictionary<string, ShardProgress>(), [], null, null, [], null);
            _drills.Add(drill);
            return Task.FromResult(new DrillStart(drill, null, null));
        }

        public DrillProgress? Find(string id) => _drills.FirstOrDefault(d => d.Id == id);

        public IReadOnlyList<DrillProgress> All() => _drills;

        public void Finish()
        {
            for (var i = 0; i < _drills.Count; i++)
            {
                _drills[i] = _drills[i] with { State = DrillState.Completed, FinishedAtMs = 2 };
            }
        }
    }
}
