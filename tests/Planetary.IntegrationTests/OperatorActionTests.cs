using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using MassTransit;
using Aspire.Hosting.Testing;
using Planetary.Contracts;
using Planetary.Fabric.Hosting.Messaging;
using Planetary.Fabric.Hosting.Redis;
using Planetary.Fabric.Reporting;
using Planetary.IntegrationTests.Fleet;
using RabbitMQ.Client;

namespace Planetary.IntegrationTests;

/// <summary>
/// What an operator does outside the drill, on the live fleet (issue 8's cases): resubmit an id, overload a shard,
/// cancel a running job, set values that once crash-looped a service, put poison and forged parameters on the bus,
/// and leave jobs for longer than a day. Each broke "no job lost, none run twice, the owner's word is law" before.
/// </summary>
[Collection(LiveFleetCollection.Name)]
public sealed class OperatorActionTests(LiveFleet fleet)
{
    private const int TestMilliseconds = 180_000;
    private static readonly TimeSpan Finish = TimeSpan.FromMinutes(1);

    [Fact(Timeout = TestMilliseconds)]
    public async Task A_job_id_runs_once_however_often_and_wherever_it_is_submitted()
    {
        var id = $"dup-{Guid.NewGuid():N}";
        Assert.Equal(HttpStatusCode.Accepted, (await SubmitAsync("earth", id, "governance-review")).StatusCode);
        await fleet.WaitForOutcomesAsync([id], Finish);

        // Past the router's dedupe window (shrunk to its least, 81 ticks ≈ 4 s, for the test): the registry still knows the id.
        await SetAsync("routers.dedupeRetentionTicks", (4 * fleet.Manifest.Routers.TransferTimeoutTicks) + 1);
        try
        {
            await Task.Delay(TimeSpan.FromMilliseconds(fleet.Manifest.Routers.TickMs * ((4 * fleet.Manifest.Routers.TransferTimeoutTicks) + 40)));
            var again = await SubmitAsync("earth", id, "governance-review");
            var body = JsonDocument.Parse(await again.Content.ReadAsStringAsync()).RootElement;
            Assert.Equal(HttpStatusCode.Accepted, again.StatusCode);
            Assert.Equal([id], body.GetProperty("known").EnumerateArray().Select(e => e.GetString()));

            var elsewhere = await SubmitAsync("luna", id, "validation-sweep");
            Assert.Equal(HttpStatusCode.Conflict, elsewhere.StatusCode);
            Assert.Contains("earth", await elsewhere.Content.ReadAsStringAsync());

            await Task.Delay(TimeSpan.FromSeconds(2));
            var timeline = await fleet.Books.TimelineAsync(id);
            Assert.Equal(1, timeline.Count(e => e.Event == JobEventKind.Accepted));
            Assert.Equal(1, timeline.Count(e => e.Event == JobEventKind.Completed));
        }
        finally
        {
            await SetAsync("routers.dedupeRetentionTicks", fleet.Manifest.Routers.DedupeRetentionTicks);
        }
    }

    [Fact(Timeout = TestMilliseconds)]
    public async Task A_full_shard_answers_429_with_the_ids_it_refused_and_every_id_it_took_is_findable()
    {
        var prefix = $"full-{Guid.NewGuid():N}"[..13];
        await SetAsync("shards.earth.maxQueueDepth", 2);
        Assert.True((await fleet.Owner.PostAsync("/api/pause?shard=earth", null)).IsSuccessStatusCode);
        try
        {
            await LiveFleet.Eventually(() => fleet.Observed.Shards["earth"].Paused, TimeSpan.FromSeconds(10), "earth reports that it is paused");
            var jobs = Enumerable.Range(1, 5).Select(i => new { id = $"{prefix}-{i}", template = "governance-review" }).ToArray();
            var response = await fleet.Owner.PostAsJsonAsync("/api/jobs", new { shard = "earth", jobs });

            Assert.Equal((HttpStatusCode)429, response.StatusCode);
            Assert.NotNull(response.Headers.RetryAfter);
            var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
            var accepted = problem.GetProperty("accepted").EnumerateArray().Select(e => e.GetString()!).ToArray();
            var refused = problem.GetProperty("refused").EnumerateArray().Select(e => e.GetProperty("jobId").GetString()!).ToArray();
            Assert.True(refused.Length >= 3, $"refused {refused.Length}");
            Assert.Equal(jobs.Select(j => j.id).Order(), accepted.Concat(refused).Order());
            foreach (var taken in accepted)
            {
                Assert.Equal(HttpStatusCode.OK, (await fleet.Owner.GetAsync($"/api/jobs/{taken}")).StatusCode);
            }

            // Refused means not taken: the id stays free, and the job shows as rejected with the reason until the retention passes.
            var refusals = await fleet.Books.TimelinesAsync(refused);
            Assert.Equal(refused.Order(), refusals.Select(e => e.Job).Order());
            Assert.All(refusals, e => Assert.Equal((JobEventKind.Rejected, true), (e.Event, e.Detail!.Contains("queue is full"))));
            var rejected = JsonDocument.Parse(await fleet.Owner.GetStringAsync($"/api/jobs/{refused[0]}")).RootElement;
            Assert.Equal("rejected", rejected.GetProperty("status").GetString());
            Assert.Empty(await fleet.Books.OutcomesAsync(refused));
            Assert.True((await fleet.Owner.PostAsync("/api/resume?shard=earth", null)).IsSuccessStatusCode);
            await fleet.WaitForOutcomesAsync(accepted, Finish);
        }
        finally
        {
            await fleet.Owner.PostAsync("/api/resume?shard=earth", null);
            await SetAsync("shards.earth.maxQueueDepth", fleet.Manifest.FindShard("earth")!.MaxQueueDepth);
        }
    }

    [Fact(Timeout = TestMilliseconds)]
    public async Task Cancelling_a_running_job_stops_it_on_its_node_and_charges_no_attempt()
    {
        var id = $"cancel-{Guid.NewGuid():N}";
        await SetAsync("routers.jobTimeoutTicks", 1_000); // the manifest wants every scaled template to fit in the timeout
        await SetAsync("execution.timeScale", 100); // validation-sweep runs 2 ticks × 50 ms × 100 = 10 s
        try
        {
            Assert.Equal(HttpStatusCode.Accepted, (await SubmitAsync("luna", id, "validation-sweep")).StatusCode);
            string? node = null;
            await LiveFleet.Eventually(() => (node = Job(id).Result is { } j && j.GetProperty("status").GetString() == "running" ? j.GetProperty("node").GetString() : null) is not null,
                TimeSpan.FromSeconds(20), $"{id} runs on a node");
            var stoppedBefore = fleet.Observed.Nodes[node!].Stopped;

            var cancel = await fleet.Owner.PostAsync($"/api/jobs/{id}/cancel", null);
            Assert.True(cancel.IsSuccessStatusCode, await cancel.Content.ReadAsStringAsync());

            await LiveFleet.Eventually(() => Job(id).Result?.GetProperty("status").GetString() == "cancelled", TimeSpan.FromSeconds(20), $"{id} is cancelled");
            await LiveFleet.Eventually(() => fleet.Observed.Nodes[node!].Stopped > stoppedBefore, TimeSpan.FromSeconds(20), $"{node} stops the attempt");
            var timeline = await fleet.Books.TimelineAsync(id);
            Assert.Equal(1, timeline.Count(e => e.Event == JobEventKind.Assigned));
            Assert.DoesNotContain(timeline, e => e.Event is JobEventKind.Completed or JobEventKind.Failed or JobEventKind.AttemptFailed);
            Assert.Equal(JobOutcomeKind.Cancelled, (await fleet.Books.OutcomesAsync([id]))[id].Kind);
        }
        finally
        {
            await SetAsync("execution.timeScale", fleet.Manifest.Execution.TimeScale);
            await SetAsync("routers.jobTimeoutTicks", fleet.Manifest.Routers.JobTimeoutTicks);
        }
    }

    [Fact(Timeout = TestMilliseconds)]
    public async Task Draining_a_node_withdraws_its_work_at_the_deadline_takes_it_offline_until_resumed_and_charges_no_attempt()
    {
        const string node = "LUNA-HYPERION-01"; // luna's only node
        var id = $"drain-{Guid.NewGuid():N}";
        await SetAsync("routers.jobTimeoutTicks", 1_000);
        await SetAsync("execution.timeScale", 100); // validation-sweep runs 10 s: still running at the deadline
        await SetAsync("routers.drainDeadlineTicks", 20); // 1 s
        try
        {
            Assert.Equal(HttpStatusCode.Accepted, (await SubmitAsync("luna", id, "validation-sweep")).StatusCode);
            await LiveFleet.Eventually(() => Job(id).Result?.GetProperty("status").GetString() == "running", TimeSpan.FromSeconds(20), $"{id} runs on {node}");

            var drain = await fleet.Owner.PostAsync($"/api/nodes/{node}/drain", null);
            Assert.True(drain.IsSuccessStatusCode, await drain.Content.ReadAsStringAsync());

            await LiveFleet.Eventually(() => NodeState(node).Result is ("offline", "drained"), TimeSpan.FromSeconds(20), $"{node} is drained");
            await LiveFleet.Eventually(() => Job(id).Result?.GetProperty("status").GetString() == "queued", TimeSpan.FromSeconds(10), $"{id} is back in the queue");
            var withdrawn = Assert.Single(await fleet.Books.TimelineAsync(id), e => e.Event == JobEventKind.Withdrawn);
            Assert.Equal(node, withdrawn.Node);
            await Task.Delay(TimeSpan.FromSeconds(2));
            Assert.Equal("queued", (await Job(id))?.GetProperty("status").GetString()); // a drained node gets nothing

            await SetAsync("execution.timeScale", fleet.Manifest.Execution.TimeScale);
            var resume = await fleet.Owner.PostAsync($"/api/nodes/{node}/resume", null);
            Assert.True(resume.IsSuccessStatusCode, await resume.Content.ReadAsStringAsync());
            await fleet.WaitForOutcomesAsync([id], Finish);

            var timeline = await fleet.Books.TimelineAsync(id);
            Assert.Equal(2, timeline.Count(e => e.Event == JobEventKind.Assigned));
            Assert.DoesNotContain(timeline, e => e.Event is JobEventKind.AttemptFailed or JobEventKind.Failed);
            Assert.Equal(JobOutcomeKind.Completed, (await fleet.Books.OutcomesAsync([id]))[id].Kind);
            await LiveFleet.Eventually(() => NodeState(node).Result is ("online", "none"), TimeSpan.FromSeconds(10), $"{node} shows online again"); // status lags by a report
        }
        finally
        {
            await fleet.Owner.PostAsync($"/api/nodes/{node}/resume", null);
            await SetAsync("routers.drainDeadlineTicks", fleet.Manifest.Routers.DrainDeadlineTicks);
            await SetAsync("execution.timeScale", fleet.Manifest.Execution.TimeScale);
            await SetAsync("routers.jobTimeoutTicks", fleet.Manifest.Routers.JobTimeoutTicks);
        }
    }

    [Fact(Timeout = TestMilliseconds)]
    public async Task A_failed_job_is_listed_in_the_failed_inbox_and_requeued_runs_to_completion_with_a_fresh_allowance()
    {
        const string node = "LUNA-HYPERION-01"; // luna's only node
        var id = $"requeue-{Guid.NewGuid():N}";
        await SetAsync("routers.maxAttempts", 1);
        await SetAsync($"nodes.{node}.reliability", 0);
        try
        {
            await ConvergedAsync();
            Assert.Equal(HttpStatusCode.Accepted, (await SubmitAsync("luna", id, "validation-sweep")).StatusCode);
            await fleet.WaitForOutcomesAsync([id], Finish);
            Assert.Equal(JobOutcomeKind.Failed, (await fleet.Books.OutcomesAsync([id]))[id].Kind);
            Assert.Contains(id, await ListedAsync("failed", "luna"));

            await SetAsync($"nodes.{node}.reliability", 1);
            await ConvergedAsync();
            var dry = JsonDocument.Parse(await (await fleet.Owner.PostAsJsonAsync("/api/jobs/requeue", new { ids = new[] { id }, dryRun = true })).Content.ReadAsStringAsync()).RootElement;
            Assert.Equal(1, dry.GetProperty("count").GetInt32());
            Assert.Equal(JobOutcomeKind.Failed, (await fleet.Books.OutcomesAsync([id]))[id].Kind); // a dry run changes nothing

            var requeue = await fleet.Owner.PostAsJsonAsync("/api/jobs/requeue", new { ids = new[] { id } });
            Assert.Equal(HttpStatusCode.Accepted, requeue.StatusCode);
            await LiveFleet.Eventually(() => fleet.Books.OutcomesAsync([id]).Result.GetValueOrDefault(id)?.Kind == JobOutcomeKind.Completed, Finish, $"{id} runs again and completes");

            var timeline = await fleet.Books.TimelineAsync(id);
            Assert.Equal(
                [JobEventKind.Accepted, JobEventKind.Assigned, JobEventKind.Failed, JobEventKind.Requeued, JobEventKind.Assigned, JobEventKind.Completed],
                timeline.Select(e => e.Event).Where(e => e is not JobEventKind.AttemptFailed));
            Assert.Equal(2, timeline.Last(e => e.Event == JobEventKind.Assigned).Attempt); // numbering goes on; maxAttempts 1 still let it run
            Assert.Contains(id, await ListedAsync("completed", "luna"));
            Assert.DoesNotContain(id, await ListedAsync("failed", "luna"));
        }
        finally
        {
            await SetAsync($"nodes.{node}.reliability", fleet.Manifest.FindNode(node)!.Reliability);
            await SetAsync("routers.maxAttempts", fleet.Manifest.Routers.MaxAttempts);
        }
    }

    /// <summary>The ids <c>GET /api/jobs</c> lists first for a state and shard.</summary>
    private async Task<string[]> ListedAsync(string state, string shard)
    {
        var page = JsonDocument.Parse(await fleet.Owner.GetStringAsync($"/api/jobs?state={state}&shard={shard}&limit=500")).RootElement;
        return page.GetProperty("jobs").EnumerateArray().Select(j => j.GetProperty("id").GetString()!).ToArray();
    }

    /// <summary>Waits until every service has applied the owner's latest parameters.</summary>
    private Task ConvergedAsync() => LiveFleet.Eventually(
        () => JsonDocument.Parse(fleet.Owner.GetStringAsync("/api/status").Result).RootElement.GetProperty("parameters").GetProperty("converged").GetBoolean(),
        TimeSpan.FromSeconds(20), "every service applied the owner's parameters");

    /// <summary>A node's state and drain as <c>GET /api/status</c> shows them.</summary>
    private async Task<(string? State, string? Drain)> NodeState(string nodeId)
    {
        var status = JsonDocument.Parse(await fleet.Owner.GetStringAsync("/api/status")).RootElement;
        var node = status.GetProperty("nodes").EnumerateArray().Single(n => n.GetProperty("id").GetString() == nodeId);
        return (node.GetProperty("state").GetString(), node.TryGetProperty("drain", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString() : null);
    }

    [Fact(Timeout = TestMilliseconds)]
    public async Task Values_that_once_crash_looped_the_checkpointer_keep_every_service_running()
    {
        var before = Pids("Planetary.Checkpointer");
        await SetAsync("checkpoint.intervalTicks", 1_000_000);
        await SetAsync("routers.tickMs", 5_000);
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(8));
            Assert.Equal(before, Pids("Planetary.Checkpointer"));
            fleet.Observed.Checkpoints.Clear();
            var status = JsonDocument.Parse(await fleet.Owner.GetStringAsync("/api/status")).RootElement;
            Assert.True(status.GetProperty("parameters").GetProperty("converged").GetBoolean(), status.GetProperty("parameters").ToString());
        }
        finally
        {
            await SetAsync("routers.tickMs", fleet.Manifest.Routers.TickMs);
            await SetAsync("checkpoint.intervalTicks", fleet.Manifest.Checkpoint.IntervalTicks);
        }

        Assert.Equal(before, Pids("Planetary.Checkpointer"));
        var ids = await fleet.SubmitAsync("mars", "terraforming-survey", 20, "after-slow-ticks");
        await fleet.WaitForOutcomesAsync(ids, Finish);
        // Back on the manifest's interval (2 s), not the day-long one it was waiting out.
        await LiveFleet.Eventually(() => !fleet.Observed.Checkpoints.IsEmpty, TimeSpan.FromSeconds(15), "the checkpointer writes on the restored interval");
    }

    [Fact(Timeout = TestMilliseconds)]
    public async Task A_malformed_submission_goes_to_the_error_queue_with_its_reason_and_the_router_keeps_serving()
    {
        var router = fleet.Observed.Shards["earth"].ProcessId;
        var submissionId = $"poison-{Guid.NewGuid():N}";
        var endpoint = await fleet.Bus.GetSendEndpoint(Queues.SendAddress("router-earth")); // its exchange: never declare a service queue
        await endpoint.Send(new SubmitJobs(submissionId, "earth", [new JobSubmission(null!, "governance-review", 0)]));

        var (body, reason) = await TakeFromErrorQueueAsync("router-earth_error", submissionId, TimeSpan.FromSeconds(30));
        Assert.Contains(submissionId, body);
        Assert.Contains("quarantined", reason);

        var ids = await fleet.SubmitAsync("earth", "governance-review", 20, "after-poison");
        await fleet.WaitForOutcomesAsync(ids, Finish);
        Assert.Equal(router, fleet.Observed.Shards["earth"].ProcessId); // never restarted
    }

    [Fact(Timeout = TestMilliseconds)]
    public async Task A_forged_parameter_version_on_the_bus_is_not_adopted_and_the_owners_next_change_converges()
    {
        await fleet.Bus.Publish(new FabricParametersPublished(999_999_999, new Dictionary<string, string> { ["routers.cooldownTicks"] = "9" }, "routers.cooldownTicks", "forger", 0));
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.All(fleet.Observed.AppliedVersions, v => Assert.True(v.Value < 999_999_999, $"{v.Key} adopted the forged version"));

        var response = await fleet.Owner.PutAsJsonAsync("/api/parameters/routers.cooldownTicks", new { value = fleet.Manifest.Routers.CooldownTicks });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        var version = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("version").GetInt64();
        await fleet.WaitForParameterVersionAsync(version);
    }

    [Fact(Timeout = TestMilliseconds)]
    public async Task An_unfinished_job_stays_findable_and_a_finished_one_is_kept_for_the_retention_period()
    {
        Assert.True((await fleet.Owner.PostAsync("/api/pause?shard=luna", null)).IsSuccessStatusCode);
        try
        {
            await LiveFleet.Eventually(() => fleet.Observed.Shards["luna"].Paused, TimeSpan.FromSeconds(10), "luna reports that it is paused");
            var queued = (await fleet.SubmitAsync("luna", "validation-sweep", 1, $"retention-{Guid.NewGuid():N}"[..18]))[0];
            var db = fleet.Redis.GetDatabase();
            await LiveFleet.Eventually(() => db.KeyExists(RedisKeys.JobTimeline(queued)), TimeSpan.FromSeconds(10), "the queued job's timeline is written");
            Assert.Null(await db.KeyTimeToLiveAsync(RedisKeys.JobTimeline(queued))); // unfinished: no expiry at all
            Assert.Null(await db.KeyTimeToLiveAsync(RedisKeys.JobId(queued)));

            Assert.True((await fleet.Owner.PostAsync("/api/resume?shard=luna", null)).IsSuccessStatusCode);
            await fleet.WaitForOutcomesAsync([queued], Finish);
            var retention = TimeSpan.FromHours(fleet.Manifest.Jobs.RetentionHours);
            foreach (var key in new[] { RedisKeys.JobTimeline(queued), RedisKeys.Outcome(queued), RedisKeys.JobId(queued) })
            {
                var ttl = await db.KeyTimeToLiveAsync(key);
                Assert.True(ttl is { } t && t > retention - TimeSpan.FromMinutes(5) && t <= retention, $"{key}: time to live {ttl}, expected about {retention}");
            }
        }
        finally
        {
            await fleet.Owner.PostAsync("/api/resume?shard=luna", null);
        }
    }

    private Task<HttpResponseMessage> SubmitAsync(string shard, string id, string template) =>
        fleet.Owner.PostAsJsonAsync("/api/jobs", new { shard, jobs = new[] { new { id, template } } });

    private async Task<JsonElement?> Job(string id)
    {
        var response = await fleet.Owner.GetAsync($"/api/jobs/{id}");
        return response.IsSuccessStatusCode ? JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement : null;
    }

    private async Task SetAsync(string path, object value)
    {
        var response = await fleet.Owner.PutAsJsonAsync($"/api/parameters/{path}", new { value });
        Assert.True(response.IsSuccessStatusCode, $"PUT {path} = {value}: {await response.Content.ReadAsStringAsync()}");
    }

    private static int[] Pids(string processName) => Process.GetProcessesByName(processName).Select(p => p.Id).Order().ToArray();

    /// <summary>Finds the message of <paramref name="marker"/> in an error queue (left there) and the fault reason MassTransit put in its headers.</summary>
    private async Task<(string Body, string Reason)> TakeFromErrorQueueAsync(string queue, string marker, TimeSpan timeout)
    {
        var factory = new ConnectionFactory { Uri = new Uri((await fleet.App.GetConnectionStringAsync("eventbus"))!) };
        await using var connection = await factory.CreateConnectionAsync();
        var stopwatch = Stopwatch.StartNew();
        while (true)
        {
            await using (var channel = await connection.CreateChannelAsync())
            {
                try
                {
                    while (await channel.BasicGetAsync(queue, autoAck: false) is { } delivery)
                    {
                        var body = Encoding.UTF8.GetString(delivery.Body.Span);
                        if (body.Contains(marker, StringComparison.Ordinal))
                        {
                            var reason = delivery.BasicProperties.Headers?.TryGetValue("MT-Fault-Message", out var raw) == true && raw is byte[] bytes
                                ? Encoding.UTF8.GetString(bytes)
                                : "(no MT-Fault-Message header)";
                            return (body, reason);
                        }
                    }
                }
                catch (RabbitMQ.Client.Exceptions.OperationInterruptedException) when (stopwatch.Elapsed < timeout)
                {
                    // the error queue is declared when the first faulted message arrives
                }
            } // closing the channel returns every unacknowledged message to the queue

            Assert.True(stopwatch.Elapsed < timeout, $"no message of {marker} reached {queue} within {timeout.TotalSeconds} s");
            await Task.Delay(250);
        }
    }
}
