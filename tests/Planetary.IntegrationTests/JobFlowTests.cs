using System.Diagnostics;
using Planetary.Contracts;
using Planetary.Fabric.Reporting;
using Planetary.IntegrationTests.Fleet;
using Xunit.Abstractions;

namespace Planetary.IntegrationTests;

/// <summary>Jobs on the live fleet: through the owner API, across RabbitMQ and Redis, through real faults.</summary>
[Collection(LiveFleetCollection.Name)]
public sealed class JobFlowTests(LiveFleet fleet, ITestOutputHelper output)
{
    private static readonly TimeSpan Finish = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task Jobs_submitted_over_http_all_complete_exactly_once()
    {
        var ids = new List<string>();
        ids.AddRange(await fleet.SubmitAsync("earth", "governance-review", 100, "flow"));
        ids.AddRange(await fleet.SubmitAsync("luna", "validation-sweep", 100, "flow"));
        ids.AddRange(await fleet.SubmitAsync("mars", "terraforming-survey", 100, "flow"));
        ids.AddRange(await fleet.SubmitAsync("edge", "gpu-simulation", 100, "flow"));

        var outcomes = await fleet.WaitForOutcomesAsync(ids, Finish);

        Assert.All(outcomes.Values, o => Assert.NotEqual(JobOutcomeKind.Cancelled, o.Kind));
        Assert.True(outcomes.Values.Count(o => o.Kind == JobOutcomeKind.Completed) >= ids.Count * 0.98);
        Assert.All(await fleet.FinishesPerJobAsync(ids), f => Assert.Equal(1, f.Value));
    }

    [Fact]
    public async Task A_killed_router_is_restarted_resumes_from_its_checkpoint_and_every_job_completes_once()
    {
        var ids = (await fleet.SubmitAsync("earth", "logistics-routing", 1_500, "kill-router")).ToList();
        await fleet.WaitUntil(() => fleet.Books.OutcomesAsync(ids).Result.Count > 100, TimeSpan.FromSeconds(60), "the run is under way");
        await WaitForCheckpointAsync("earth");
        var victim = fleet.Observed.Shards["earth"].ProcessId;
        var killedAt = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

        Process.GetProcessById(victim).Kill(); // SIGKILL: no shutdown code runs

        await fleet.WaitUntil(() => fleet.Observed.Resumes.Any(r => r.ShardId == "earth" && r.ProcessId != victim && r.StartedAtMs >= killedAt),
            TimeSpan.FromSeconds(90), "the app host restarts router-earth and it reports its recovery");
        var resumed = fleet.Observed.Resumes.Last(r => r.ShardId == "earth" && r.ProcessId != victim);
        output.WriteLine($"router-earth killed (pid {victim}); back as pid {resumed.ProcessId} serving {resumed.RecoveredAtMs - killedAt} ms later: " +
            $"snapshot {resumed.SnapshotId} + {resumed.JournalEntriesReplayed} journal entries, {resumed.JobsRestored} jobs restored");
        Assert.True(resumed.ResumedFromCheckpoint);
        Assert.NotNull(resumed.SnapshotId);

        var outcomes = await fleet.WaitForOutcomesAsync(ids, Finish);
        Assert.Equal(ids.Count, outcomes.Count);
        Assert.All(await fleet.FinishesPerJobAsync(ids), f => Assert.Equal(1, f.Value));
    }

    [Fact]
    public async Task A_killed_agent_loses_its_jobs_to_the_queue_and_they_complete()
    {
        var ids = (await fleet.SubmitAsync("mars", "terraforming-survey", 600, "kill-agent")).ToList();
        // Mars runs terraforming on its two nodes only; once the jobs flow, MARS-ARES-01 holds some of them at any moment.
        await fleet.WaitUntil(() => fleet.Books.OutcomesAsync(ids).Result.Count >= 20, TimeSpan.FromSeconds(60), "mars is working through the jobs", ids);
        var victim = fleet.Observed.Nodes["MARS-ARES-01"].ProcessId;

        Process.GetProcessById(victim).Kill();

        await fleet.WaitUntil(() => fleet.Observed.Nodes["MARS-ARES-01"].ProcessId != victim, TimeSpan.FromSeconds(90), "the app host restarts agent-mars-ares-01");
        var outcomes = await fleet.WaitForOutcomesAsync(ids, Finish);
        Assert.Equal(ids.Count, outcomes.Count);
        var timeline = await fleet.Books.TimelinesAsync(ids);
        Assert.Contains(timeline, e => e is { Event: JobEventKind.AttemptFailed, Node: "MARS-ARES-01" }); // its running work was re-queued
        Assert.All(await fleet.FinishesPerJobAsync(ids), f => Assert.Equal(1, f.Value));
    }

    [Fact]
    public async Task A_duplicated_result_message_does_not_complete_a_job_twice()
    {
        var id = Assert.Single(await fleet.SubmitAsync("luna", "validation-sweep", 1, "duplicate"));
        var outcome = (await fleet.WaitForOutcomesAsync([id], Finish))[id];
        Assert.Equal(JobOutcomeKind.Completed, outcome.Kind);

        var endpoint = await fleet.Bus.GetSendEndpoint(Planetary.Fabric.Hosting.Messaging.Queues.SendAddress("router-luna"));
        var duplicate = new ReportJobResults("luna", outcome.NodeId!, [new JobResult(id, outcome.Attempts, true, null)]);
        await endpoint.Send(duplicate);
        await endpoint.Send(duplicate);
        await Task.Delay(TimeSpan.FromSeconds(2));

        Assert.Equal(1, (await fleet.FinishesPerJobAsync([id]))[id]); // the journal records one completion
        Assert.Equal(outcome, await fleet.Books.OutcomeAsync(id)); // the books are unchanged
        var status = System.Text.Json.JsonDocument.Parse(await fleet.Owner.GetStringAsync("/api/status")).RootElement;
        var luna = status.GetProperty("deadLetters").GetProperty("queues").EnumerateArray().Single(q => q.GetProperty("queue").GetString() == "router-luna");
        Assert.Equal(0, luna.GetProperty("faulted").GetInt64() + luna.GetProperty("skipped").GetInt64()); // both copies consumed, none dead-lettered
    }

    [Fact]
    public async Task One_jobs_trace_carries_spans_from_owner_control_its_router_and_the_agent_that_ran_it()
    {
        var id = Assert.Single(await fleet.SubmitAsync("edge", "gpu-simulation", 1, "traced"));
        var outcome = (await fleet.WaitForOutcomesAsync([id], Finish))[id];

        // Each service exports in its own batches: wait until all three have delivered their part of the job's trace.
        IEnumerable<ReceivedSpan> OfJob() => fleet.Traces.ByJob.TryGetValue(id, out var spans) ? spans : [];
        IEnumerable<ReceivedSpan> OfTrace(string? trace) => trace is not null && fleet.Traces.ByTrace.TryGetValue(trace, out var spans) ? spans : [];
        bool Arrived(string name) => OfJob().Any(s => s.Name == name);
        await fleet.WaitUntil(
            () => Arrived("job executed") && Arrived("job completed") && OfTrace(OfJob().FirstOrDefault()?.TraceId).Any(s => s.Service == "owner-control"),
            TimeSpan.FromSeconds(30), "owner control's, the router's and the agent's spans of the job arrive");
        var traceId = Assert.Single(OfJob().Select(s => s.TraceId).Distinct());
        var spans = OfJob().ToArray();
        var services = OfTrace(traceId).Select(s => s.Service).Distinct().ToArray();
        output.WriteLine($"trace {traceId}: {string.Join(", ", OfTrace(traceId).Select(s => $"{s.Service}/{s.Name}"))} ({fleet.Traces.Spans.Count} spans received in all)");

        Assert.Contains("owner-control", services);
        Assert.Contains("router-edge", services);
        Assert.Contains($"agent-{outcome.NodeId!.ToLowerInvariant()}", services);
        Assert.Contains(spans, s => s.Name == "job executed");
        Assert.Contains(spans, s => s.Name == "job completed");
    }

    private async Task WaitForCheckpointAsync(string shard) =>
        await fleet.WaitUntil(() => fleet.Redis.GetDatabase().SortedSetLength(Planetary.Fabric.Hosting.Redis.RedisKeys.Snapshots(shard)) > 0, TimeSpan.FromSeconds(30), $"{shard} has a snapshot");
}
