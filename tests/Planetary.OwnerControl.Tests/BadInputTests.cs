using System.Net;
using System.Text;
using Xunit.Abstractions;
using static Planetary.OwnerControl.Tests.OwnerControlFixture;

namespace Planetary.OwnerControl.Tests;

/// <summary>
/// Every bad input gets a problem response that says what was wrong, and changes nothing: the parameter version, the
/// owner log and the services' queues are the same afterwards.
/// </summary>
[Collection(OwnerControlCollection.Name)]
public sealed class BadInputTests(OwnerControlFixture fixture, ITestOutputHelper output)
{
    private const string Missing = "(no token)";

    private static readonly BadInput[] Cases =
    [
        // Parameters: JSON, path, type, range, resulting manifest.
        new("malformed JSON", HttpMethod.Put, "/api/parameters/routers.spilloverBatch", """{"value": 64""", HttpStatusCode.BadRequest, "malformed-request", "not valid JSON"),
        new("not JSON at all", HttpMethod.Put, "/api/parameters/routers.spilloverBatch", "value=64", HttpStatusCode.BadRequest, "malformed-request", "not valid JSON"),
        new("empty body", HttpMethod.Put, "/api/parameters/routers.spilloverBatch", "", HttpStatusCode.BadRequest, "malformed-request", "JSON body"),
        new("missing value", HttpMethod.Put, "/api/parameters/routers.spilloverBatch", "{}", HttpStatusCode.BadRequest, "missing-value", "'value' is missing"),
        new("null value", HttpMethod.Put, "/api/parameters/routers.spilloverBatch", """{"value": null}""", HttpStatusCode.BadRequest, "missing-value", "routers.spilloverBatch"),
        new("misspelt field", HttpMethod.Put, "/api/parameters/routers.spilloverBatch", """{"valu": 64}""", HttpStatusCode.BadRequest, "malformed-request", "'valu'"),
        new("unknown parameter path", HttpMethod.Put, "/api/parameters/routers.warpFactor", """{"value": 9}""", HttpStatusCode.NotFound, "unknown-parameter", "routers.warpFactor"),
        new("unknown node in path", HttpMethod.Put, "/api/parameters/nodes.MARS-ARES-99.concurrency", """{"value": 4}""", HttpStatusCode.NotFound, "unknown-parameter", "MARS-ARES-99"),
        new("unknown shard in path", HttpMethod.Put, "/api/parameters/shards.venus.spilloverThreshold", """{"value": 4}""", HttpStatusCode.NotFound, "unknown-parameter", "venus"),
        new("unknown parameter read", HttpMethod.Get, "/api/parameters/routers.warpFactor", null, HttpStatusCode.NotFound, "unknown-parameter", "routers.warpFactor"),
        new("text for an integer", HttpMethod.Put, "/api/parameters/routers.spilloverBatch", """{"value": "lots"}""", HttpStatusCode.BadRequest, "wrong-type", "expected an integer", "lots"),
        new("fraction for an integer", HttpMethod.Put, "/api/parameters/routers.spilloverBatch", """{"value": 6.5}""", HttpStatusCode.BadRequest, "wrong-type", "expected an integer"),
        new("number for a boolean", HttpMethod.Put, "/api/parameters/fabric.paused", """{"value": 1}""", HttpStatusCode.BadRequest, "wrong-type", "true or false"),
        new("numbers in a list", HttpMethod.Put, "/api/parameters/shards.earth.spilloverTargets", """{"value": [1, 2]}""", HttpStatusCode.BadRequest, "wrong-type", "list of strings"),
        new("object for a number", HttpMethod.Put, "/api/parameters/execution.timeScale", """{"value": {"x": 1}}""", HttpStatusCode.BadRequest, "wrong-type", "expected a number"),
        new("below the range", HttpMethod.Put, "/api/parameters/routers.spilloverBatch", """{"value": 0}""", HttpStatusCode.UnprocessableEntity, "out-of-range", "from 1 to 10000", "got 0"),
        new("above the range", HttpMethod.Put, "/api/parameters/routers.spilloverBatch", """{"value": 10001}""", HttpStatusCode.UnprocessableEntity, "out-of-range", "got 10001"),
        new("node concurrency below the range", HttpMethod.Put, "/api/parameters/nodes.MARS-ARES-02.concurrency", """{"value": 0}""", HttpStatusCode.UnprocessableEntity, "out-of-range", "nodes.MARS-ARES-02.concurrency"),
        new("reliability above one", HttpMethod.Put, "/api/parameters/nodes.MARS-ARES-02.reliability", """{"value": 1.5}""", HttpStatusCode.UnprocessableEntity, "out-of-range", "from 0 to 1"),
        new("huge integer", HttpMethod.Put, "/api/parameters/routers.spilloverBatch", """{"value": 99999999999999999999}""", HttpStatusCode.BadRequest, "wrong-type", "expected an integer"),
        new("spillover to an unknown shard", HttpMethod.Put, "/api/parameters/shards.earth.spilloverTargets", """{"value": ["nowhere"]}""", HttpStatusCode.UnprocessableEntity, "invalid-manifest", "unknown shard 'nowhere'"),
        new("grace not above the heartbeat", HttpMethod.Put, "/api/parameters/routers.heartbeatGraceTicks", """{"value": 2}""", HttpStatusCode.UnprocessableEntity, "invalid-manifest", "heartbeatIntervalTicks"),
        new("a template no node can run", HttpMethod.Put, "/api/parameters/nodes.EDGE-HELIOS-PRIME.capabilities", """{"value": ["research"]}""", HttpStatusCode.UnprocessableEntity, "invalid-manifest", "no node can run"),
        new("oversized body", HttpMethod.Put, "/api/parameters/routers.spilloverBatch", $$"""{"value": "{{new string('9', 300 * 1024)}}"}""", HttpStatusCode.RequestEntityTooLarge, "body-too-large", "262144 bytes"),
        new("wrong media type", HttpMethod.Put, "/api/parameters/routers.spilloverBatch", "64", HttpStatusCode.UnsupportedMediaType, "unsupported-media-type", "text/plain") { MediaType = "text/plain" },
        new("owner log limit zero", HttpMethod.Get, "/api/owner-log?limit=0", null, HttpStatusCode.UnprocessableEntity, "out-of-range", "limit"),

        // The owner's token and actor.
        new("missing token", HttpMethod.Put, "/api/parameters/routers.spilloverBatch", """{"value": 64}""", HttpStatusCode.Unauthorized, "unauthorized", "Authorization: Bearer") { Token = Missing },
        new("wrong token", HttpMethod.Put, "/api/parameters/routers.spilloverBatch", """{"value": 64}""", HttpStatusCode.Unauthorized, "unauthorized", "not the owner's token") { Token = "guess" },
        new("wrong token on pause", HttpMethod.Post, "/api/pause", null, HttpStatusCode.Unauthorized, "unauthorized", "not the owner's token") { Token = OwnerControlFixture.Token + "x" },
        new("missing token on a fault", HttpMethod.Post, "/api/faults/routers/earth/crash", null, HttpStatusCode.Unauthorized, "unauthorized", "owner's token") { Token = Missing },
        new("missing token on jobs", HttpMethod.Post, "/api/jobs", """{"shard": "earth", "jobs": [{"template": "governance-review"}]}""", HttpStatusCode.Unauthorized, "unauthorized", "owner's token") { Token = Missing },
        new("missing token on a drill", HttpMethod.Post, "/api/drills", "{}", HttpStatusCode.Unauthorized, "unauthorized", "owner's token") { Token = Missing },
        new("actor with a control character", HttpMethod.Put, "/api/parameters/routers.spilloverBatch", """{"value": 64}""", HttpStatusCode.BadRequest, "invalid-actor", "printable") { Actor = "bad\u0007actor" },
        new("actor too long", HttpMethod.Post, "/api/pause", null, HttpStatusCode.BadRequest, "invalid-actor", "X-Owner-Actor") { Actor = new string('a', 65) },

        // Pause, resume, faults, checkpoints.
        new("pause an unknown shard", HttpMethod.Post, "/api/pause?shard=atlantis", null, HttpStatusCode.NotFound, "unknown-shard", "atlantis", "earth, luna, mars, edge"),
        new("resume an unknown shard", HttpMethod.Post, "/api/resume?shard=atlantis", null, HttpStatusCode.NotFound, "unknown-shard", "atlantis"),
        new("offline an unknown node", HttpMethod.Post, "/api/faults/nodes/MARS-ARES-99/offline", """{"ticks": 5}""", HttpStatusCode.NotFound, "unknown-node", "MARS-ARES-99"),
        new("offline for zero ticks", HttpMethod.Post, "/api/faults/nodes/MARS-ARES-01/offline", """{"ticks": 0}""", HttpStatusCode.UnprocessableEntity, "out-of-range", "from 1 to 100000", "got 0"),
        new("offline for too many ticks", HttpMethod.Post, "/api/faults/nodes/MARS-ARES-01/offline", """{"ticks": 100001}""", HttpStatusCode.UnprocessableEntity, "out-of-range", "got 100001"),
        new("offline without ticks", HttpMethod.Post, "/api/faults/nodes/MARS-ARES-01/offline", "{}", HttpStatusCode.BadRequest, "missing-value", "'ticks' is missing"),
        new("offline ticks as text", HttpMethod.Post, "/api/faults/nodes/MARS-ARES-01/offline", """{"ticks": "many"}""", HttpStatusCode.BadRequest, "malformed-request", "$.ticks", "an integer"),
        new("crash an unknown router", HttpMethod.Post, "/api/faults/routers/atlantis/crash", null, HttpStatusCode.NotFound, "unknown-shard", "atlantis"),
        new("checkpoint an unknown shard", HttpMethod.Post, "/api/checkpoints?shard=atlantis", null, HttpStatusCode.NotFound, "unknown-shard", "atlantis"),

        // Jobs.
        new("jobs for an unknown shard", HttpMethod.Post, "/api/jobs", """{"shard": "venus", "jobs": [{"template": "governance-review"}]}""", HttpStatusCode.NotFound, "unknown-shard", "venus"),
        new("jobs without a shard", HttpMethod.Post, "/api/jobs", """{"jobs": [{"template": "governance-review"}]}""", HttpStatusCode.BadRequest, "missing-value", "'shard' is missing"),
        new("jobs not a list", HttpMethod.Post, "/api/jobs", """{"shard": "earth", "jobs": 5}""", HttpStatusCode.BadRequest, "malformed-request", "$.jobs", "an array"),
        new("an unknown template", HttpMethod.Post, "/api/jobs", """{"shard": "earth", "jobs": [{"template": "warp-drive"}]}""", HttpStatusCode.UnprocessableEntity, "invalid-jobs", "jobs[0].template 'warp-drive'", "governance-review"),
        new("a job without a template", HttpMethod.Post, "/api/jobs", """{"shard": "earth", "jobs": [{"id": "job-1"}]}""", HttpStatusCode.UnprocessableEntity, "invalid-jobs", "jobs[0].template is missing"),
        new("duplicate job ids", HttpMethod.Post, "/api/jobs", """{"shard": "earth", "jobs": [{"id": "job-7", "template": "governance-review"}, {"id": "job-7", "template": "governance-review"}]}""", HttpStatusCode.UnprocessableEntity, "invalid-jobs", "jobs[1].id 'job-7' appears more than once"),
        new("a bad job id", HttpMethod.Post, "/api/jobs", """{"shard": "earth", "jobs": [{"id": "no spaces!", "template": "governance-review"}]}""", HttpStatusCode.UnprocessableEntity, "invalid-jobs", "'no spaces!' is not a valid job id"),
        new("an empty batch", HttpMethod.Post, "/api/jobs", """{"shard": "earth", "jobs": []}""", HttpStatusCode.UnprocessableEntity, "invalid-jobs", "empty"),
        new("a batch too large", HttpMethod.Post, "/api/jobs", $$"""{"shard": "earth", "jobs": [{{string.Join(",", Enumerable.Repeat("""{"template": "governance-review"}""", 1001))}}]}""", HttpStatusCode.RequestEntityTooLarge, "batch-too-large", "1001 jobs", "at most 1000"),
        new("an unknown job", HttpMethod.Get, "/api/jobs/job-never-seen", null, HttpStatusCode.NotFound, "unknown-job", "job-never-seen"),
        new("cancel an unknown job", HttpMethod.Post, "/api/jobs/job-never-seen/cancel", null, HttpStatusCode.NotFound, "unknown-job", "job-never-seen"),

        // Drills (refused before anything starts).
        new("a drill with no jobs", HttpMethod.Post, "/api/drills", """{"jobsPerShard": 0}""", HttpStatusCode.UnprocessableEntity, "invalid-drill", "jobsPerShard", "got 0"),
        new("a drill with an unknown demand", HttpMethod.Post, "/api/drills", """{"demand": "chaotic"}""", HttpStatusCode.UnprocessableEntity, "invalid-drill", "chaotic"),
        new("a drill outage on an unknown node", HttpMethod.Post, "/api/drills", """{"faults": {"outageNode": "MARS-ARES-99"}}""", HttpStatusCode.UnprocessableEntity, "invalid-drill", "MARS-ARES-99"),
        new("a drill with a negative seed", HttpMethod.Post, "/api/drills", """{"seed": -1}""", HttpStatusCode.BadRequest, "malformed-request", "$.seed", "non-negative integer"),
        new("an unknown drill", HttpMethod.Get, "/api/drills/drill-never-run", null, HttpStatusCode.NotFound, "unknown-drill", "drill-never-run"),

        // ASP.NET Core's own answers.
        new("an unknown route", HttpMethod.Get, "/api/warp-drive", null, HttpStatusCode.NotFound, null, "No route matches GET /api/warp-drive"),
        new("a method not allowed", HttpMethod.Delete, "/api/parameters", null, HttpStatusCode.MethodNotAllowed, null, "DELETE is not allowed on /api/parameters"),
    ];

    public static TheoryData<string> Names => new(Cases.Select(c => c.Name));

    [Theory(Timeout = TestTimeouts.TestMilliseconds)]
    [MemberData(nameof(Names))]
    public async Task Bad_input_is_answered_with_a_problem_and_changes_nothing(string name)
    {
        using var deadline = new CancellationTokenSource(TestTimeouts.Arrival * 2);
        var input = Cases.Single(c => c.Name == name);
        var before = await SnapshotAsync(deadline.Token);

        using var request = Owner(input.Method, input.Url, token: input.Token == Missing ? null : input.Token ?? OwnerControlFixture.Token, actor: input.Actor);
        if (input.Body is not null)
        {
            request.Content = new StringContent(input.Body, Encoding.UTF8, input.MediaType);
        }

        using var response = await fixture.Client.SendAsync(request, deadline.Token);

        var problem = await ProblemAssert.IsProblemAsync(response, input.Status, input.Type, input.DetailMentions);
        output.WriteLine(problem.ToString());
        if (input.Status == HttpStatusCode.Unauthorized)
        {
            Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
        }

        Assert.Equal(before, await SnapshotAsync(deadline.Token));
    }

    /// <summary>Parameter version, owner-log length, and the messages waiting for every service.</summary>
    private async Task<string> SnapshotAsync(CancellationToken cancellationToken)
    {
        var version = (await fixture.Parameters.CurrentAsync())?.Version ?? 0;
        var log = (await fixture.Parameters.OwnerLogAsync()).Count;
        var queues = new List<string>();
        foreach (var queue in new[] { "router-earth", "router-luna", "router-mars", "router-edge", "node-mars-ares-01", "checkpointer" })
        {
            queues.Add($"{queue}={await fixture.Broker.DepthAsync(queue, cancellationToken)}");
        }

        return $"version={version} log={log} {string.Join(' ', queues)}";
    }

    private sealed record BadInput(
        string Name,
        HttpMethod Method,
        string Url,
        string? Body,
        HttpStatusCode Status,
        string? Type,
        params string[] DetailMentions)
    {
        public string MediaType { get; init; } = "application/json";

        public string? Token { get; init; }

        public string? Actor { get; init; }
    }
}
