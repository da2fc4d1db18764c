using Planetary.Contracts;
using Planetary.Fabric.Effects;
using Planetary.Fabric.Journal;
using Planetary.Fabric.Manifest;
using Planetary.Fabric.Parameters;
using Planetary.Fabric.Routing;

namespace Planetary.Fabric.Tests.Routing;

/// <summary>
/// A router of shard "a" in a two-shard test fabric. Shard a: A1 [x,y] 2 slots, A2 [x] 1 slot; shard b: B1 [x,z] 2 slots.
/// Templates: tx [x], txy [x,y], tz [z]. Grace 5 ticks, maxAttempts 2, timeout 20, batch 4, threshold 10, cooldown 2.
/// </summary>
public sealed class RouterHarness
{
    public const string Json = """
        {
          "name": "test",
          "capabilities": ["x", "y", "z"],
          "shards": [
            { "id": "a", "label": "A", "spilloverTargets": ["b"], "spilloverThreshold": 10, "maxQueueDepth": 100 },
            { "id": "b", "label": "B", "spilloverTargets": ["a"], "spilloverThreshold": 10, "maxQueueDepth": 100 }
          ],
          "nodes": [
            { "id": "A1", "shard": "a", "capabilities": ["x", "y"], "concurrency": 2, "reliability": 1 },
            { "id": "A2", "shard": "a", "capabilities": ["x"], "concurrency": 1, "reliability": 1 },
            { "id": "B1", "shard": "b", "capabilities": ["x", "z"], "concurrency": 2, "reliability": 1 }
          ],
          "jobTemplates": [
            { "name": "tx", "capabilities": ["x"], "durationTicks": 2, "weight": 1 },
            { "name": "txy", "capabilities": ["x", "y"], "durationTicks": 2, "weight": 1 },
            { "name": "tz", "capabilities": ["z"], "durationTicks": 2, "weight": 1 }
          ],
          "routers": {
            "tickMs": 50, "heartbeatIntervalTicks": 1, "heartbeatGraceTicks": 5, "spilloverBatch": 4, "hopLimit": 2,
            "cooldownTicks": 2, "maxAttempts": 2, "jobTimeoutTicks": 20, "transferTimeoutTicks": 10, "dedupeRetentionTicks": 100
          },
          "checkpoint": { "intervalTicks": 10, "snapshotsRetained": 2 }
        }
        """;

    public static readonly FabricManifest Manifest = ManifestLoader.LoadOrThrow(Json);

    public RouterHarness(string shard = "a", FabricManifest? manifest = null)
    {
        Genesis = manifest ?? Manifest;
        Router = new ShardRouter(new RouterState(shard, Genesis));
    }

    public FabricManifest Genesis { get; }

    public ShardRouter Router { get; private set; }

    public RouterState State => Router.State;

    public long Now { get; private set; }

    /// <summary>Every entry journaled so far, in order.</summary>
    public List<JournalEntry> Journal { get; } = [];

    public RouterStep Handle(object message) => Keep(Router.Handle(message, Now));

    public RouterStep Submit(params string[] templatesAndIds)
    {
        var jobs = templatesAndIds.Select(t => t.Split(':')).Select(p => new JobSubmission(p[1], p[0], 0)).ToArray();
        return Handle(new SubmitJobs($"sub-{Guid.NewGuid():N}", State.ShardId, jobs));
    }

    /// <summary>Node A1 runs the job and both its attempts fail: the job ends failed; returns its outcome for the books.</summary>
    public JobOutcome FailTwice(string jobId)
    {
        Register("A1");
        Submit($"tx:{jobId}"); // assigned at once
        Result("A1", jobId, 1, succeeded: false); // assigned again at once
        return Assert.Single(Result("A1", jobId, 2, succeeded: false).Outcomes);
    }

    /// <summary>The owner requeues jobs; <paramref name="books"/> are the outcomes the books hold for them.</summary>
    public RouterStep Requeue(IEnumerable<JobOutcome> books, params string[] jobIds) =>
        Keep(Router.Handle(new RouterInput.Requeue(new RequeueJobs(State.ShardId, jobIds, "owner"), books.ToDictionary(o => o.JobId)), Now));

    public RouterStep Register(string nodeId, int? slots = null, params string[] capabilities)
    {
        var spec = Genesis.FindNode(nodeId)!;
        return Handle(new RegisterNode(State.ShardId, nodeId, capabilities.Length > 0 ? capabilities : spec.Capabilities, slots ?? spec.Concurrency, 1, State.ParameterVersion));
    }

    public RouterStep Heartbeat(string nodeId, params (string JobId, int Attempt)[] running)
    {
        var spec = Genesis.FindNode(nodeId)!;
        return Handle(new NodeHeartbeat(
            State.ShardId, nodeId, spec.Capabilities, spec.Concurrency, State.ParameterVersion, running.Select(r => new JobAttemptRef(r.JobId, r.Attempt)).ToArray()));
    }

    public RouterStep Result(string nodeId, string jobId, int attempt, bool succeeded) =>
        Handle(new ReportJobResults(State.ShardId, nodeId, [new JobResult(jobId, attempt, succeeded, succeeded ? null : "boom")]));

    public RouterStep AllyLoad(string ally, int queued, string[][] online, string[][]? known = null) =>
        Handle(new ShardLoadReported(ally, Now, queued, 0, 4, true, online, known ?? online, 0));

    public RouterStep Set(string path, string value)
    {
        var manifest = ParameterCatalog.ApplyAll(Genesis, ParameterCatalog.Flatten(State.Manifest));
        var change = ParameterChanges.TryApply(manifest, path, value);
        Assert.True(change.Succeeded, change.Problem);
        return Handle(new FabricParametersPublished(State.ParameterVersion + 1, ParameterCatalog.Flatten(change.Manifest!), path, "test", 0));
    }

    /// <summary>Advances one tick at a time up to <paramref name="tick"/>, returning every step.</summary>
    public List<RouterStep> TickTo(long tick)
    {
        var steps = new List<RouterStep>();
        while (Now < tick)
        {
            Now++;
            steps.Add(Keep(Router.Tick(Now)));
        }

        return steps;
    }

    public RouterStep TickOnce() => TickTo(Now + 1)[0];

    /// <summary>Advances the clock without running ticks (e.g. to age an assignment before a heartbeat).</summary>
    public void Wait(long ticks) => Now += ticks;

    /// <summary>Replaces the router by one rebuilt from a snapshot plus the journal tail, as a restart does.</summary>
    public void RestartFrom(RouterSnapshot snapshot, int journalPosition)
    {
        var state = FabricJson.DeserializeSnapshot(FabricJson.SerializeSnapshot(snapshot)).Restore(Genesis);
        foreach (var entry in Journal.Skip(journalPosition))
        {
            state.Apply(entry);
        }

        Router = new ShardRouter(state);
    }

    public static IEnumerable<(string NodeId, JobAssignment Assignment)> Assignments(IEnumerable<RouterStep> steps) =>
        steps.SelectMany(s => s.Effects).OfType<Send>().Select(s => s.Message).OfType<AssignJobs>()
            .SelectMany(m => m.Assignments.Select(a => (m.NodeId, a)));

    public static IEnumerable<(string NodeId, JobAssignment Assignment)> Assignments(RouterStep step) => Assignments([step]);

    public static IEnumerable<T> Sent<T>(IEnumerable<RouterStep> steps) =>
        steps.SelectMany(s => s.Effects).Select(e => e switch { Send s => s.Message, Publish p => p.Message, _ => null }).OfType<T>();

    public static IEnumerable<T> Entries<T>(IEnumerable<RouterStep> steps) => steps.SelectMany(s => s.Entries).OfType<T>();

    private RouterStep Keep(RouterStep step)
    {
        Journal.AddRange(step.Entries);
        return step;
    }
}
