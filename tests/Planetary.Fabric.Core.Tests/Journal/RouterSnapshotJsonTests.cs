using System.Text.Json;
using Planetary.Contracts;
using Planetary.Fabric.Effects;
using Planetary.Fabric.Journal;
using Planetary.Fabric.Manifest;
using Planetary.Fabric.Parameters;
using Planetary.Fabric.Routing;

namespace Planetary.Fabric.Tests.Journal;

/// <summary>
/// A snapshot is the router's state as plain data: serialised, deserialised and restored over the genesis manifest
/// it gives back a state that captures to the same bytes, and that behaves the same from then on.
/// </summary>
public sealed class RouterSnapshotJsonTests
{
    private const string Earth = "earth";
    private const string Titan = "EARTH-TITAN-01";
    private const string Athena = "EARTH-ATHENA-02";
    private static readonly FabricManifest Genesis = ManifestLoader.LoadDefault();

    [Fact]
    public void The_scenario_state_has_jobs_in_every_status_tombstones_of_every_kind_refusals_allies_and_counters()
    {
        var router = BusyRouter();
        var state = router.State;

        Assert.Equal(
            Enum.GetValues<RouterJobStatus>().Order(),
            state.Jobs.Values.Select(j => j.Status).Distinct().Order());
        Assert.Contains(state.Jobs.Values, j => j.Status == RouterJobStatus.Queued && j.LastFailure is not null);
        Assert.Contains(state.Jobs.Values, j => j.ArrivedFrom == "luna" && j.ArrivedByTransferTick > 0 && j.Hops == 1);
        Assert.Equal(
            Enum.GetValues<TombstoneKind>().Order(),
            state.Tombstones.Values.Select(t => t.Kind).Distinct().Order());
        Assert.Contains(state.Jobs.Values, j => j.TraceParent is not null);
        Assert.Contains(state.Jobs.Values, j => j.TraceParent is null);
        Assert.NotEmpty(state.Refusals);
        Assert.NotEmpty(state.Transfers);
        Assert.All(state.Nodes.Values, n => Assert.True(n.Registered && n.Online));
        Assert.Contains(state.Nodes.Values, n => n.Running.Count > 0);
        Assert.Contains(router.Observations.Allies.Values, a => a.Spilling && a.SentSinceReport > 0 && a.OnlineNodeMasks.Length > 0);
        Assert.Equal(1, state.ParameterVersion);
        Assert.Equal(6, state.Nodes[Athena].Slots);
        Assert.True(state.HeadSeq < 0);
        Assert.True(state.NextTransferNumber > 2);
        Assert.True(state.LastSpillTick > 0);
        var c = state.Counters;
        Assert.All(
            new[] { c.Submitted, c.ArrivedByTransfer, c.Assignments, c.AttemptsFailed, c.Completed, c.Failed, c.Cancelled, c.SpilledOut, c.ForwardedOut, c.Spillovers, c.TransferRejections },
            n => Assert.True(n > 0));
    }

    [Fact]
    public void A_snapshot_round_trips_through_json_and_restore_to_identical_bytes()
    {
        var state = BusyRouter().State;
        var bytes = FabricJson.SerializeSnapshot(RouterSnapshot.Capture(state));

        var restored = FabricJson.DeserializeSnapshot(bytes).Restore(Genesis);

        var again = FabricJson.SerializeSnapshot(RouterSnapshot.Capture(restored));
        Assert.Equal(System.Text.Encoding.UTF8.GetString(bytes), System.Text.Encoding.UTF8.GetString(again));
        Assert.Equal(state.Queue.Count, restored.Queue.Count);
        Assert.Equal(state.RunningCount, restored.RunningCount);
        Assert.Equal(state.InTransferCount, restored.InTransferCount);
        Assert.Equal(6, restored.Nodes[Athena].Slots);
        Assert.Equal(state.Queue.Lanes.SelectMany(l => l.Jobs).Select(j => j.Id), restored.Queue.Lanes.SelectMany(l => l.Jobs).Select(j => j.Id));
    }

    [Fact]
    public void A_restored_router_makes_the_same_decisions_as_the_original()
    {
        var original = BusyRouter();
        var restored = new ShardRouter(FabricJson.DeserializeSnapshot(FabricJson.SerializeSnapshot(RouterSnapshot.Capture(original.State))).Restore(Genesis));
        var titanJob = original.State.Nodes[Titan].Running.First();

        // A restart is restore + recovery; observations (ally loads, heartbeat times) restart from fresh reports.
        original.Recover(8, "same", 0);
        restored.Recover(8, "same", 0);
        var inputs = new List<(long Tick, object? Message)>
        {
            (8, new ShardLoadReported("mars", 8, 0, 0, 8, true, [["terraforming", "logistics", "research"]], [["terraforming", "logistics", "research"]], 1)),
            (8, new ShardLoadReported("luna", 8, 0, 0, 8, true, [["validation", "logistics"]], [["validation", "logistics"]], 1)),
            (8, null),
            (8, new ReportJobResults(Earth, Titan, [new JobResult(titanJob, original.State.Jobs[titanJob].Attempts, true, null)])),
            (9, new TransferJobs("luna-x1", "luna", Earth, TransferReason.Spillover, [new TransferredJob("in-2", "gpu-simulation", "luna", 1, 1, 124)])),
            (9, new SettleTransfer("earth-x3", Earth, "mars", [], [new JobRejection("t-2", "shard mars queue is full")])),
            (10, null),
            (10, new NodeHeartbeat(Earth, Athena, ["research", "governance", "validation"], 6, 1, [])),
            (11, null),
            (25, null),
        };

        foreach (var (tick, message) in inputs)
        {
            var a = message is null ? original.Tick(tick) : original.Handle(message, tick);
            var b = message is null ? restored.Tick(tick) : restored.Handle(message, tick);

            Assert.Equal(a.Entries.Select(FabricJson.SerializeEntry), b.Entries.Select(FabricJson.SerializeEntry));
            Assert.Equal(a.Effects.Select(Describe), b.Effects.Select(Describe));
        }

        Assert.Equal(
            FabricJson.SerializeSnapshot(RouterSnapshot.Capture(original.State)),
            FabricJson.SerializeSnapshot(RouterSnapshot.Capture(restored.State)));
    }

    [Fact]
    public void A_snapshot_of_another_format_is_refused()
    {
        var snapshot = RouterSnapshot.Capture(new RouterState(Earth, Genesis)) with { Format = RouterSnapshot.CurrentFormat + 1 };

        Assert.Throws<InvalidOperationException>(() => snapshot.Restore(Genesis));
    }

    [Fact]
    public void A_fresh_router_round_trips_too()
    {
        var bytes = FabricJson.SerializeSnapshot(RouterSnapshot.Capture(new RouterState(Earth, Genesis)));

        var again = FabricJson.SerializeSnapshot(RouterSnapshot.Capture(FabricJson.DeserializeSnapshot(bytes).Restore(Genesis)));

        Assert.Equal(bytes, again);
    }

    /// <summary>
    /// Drives an earth router through submissions, a cancellation, a forward (settled) and another (pending), an
    /// unroutable job, two spillovers, registrations, assignments, a success, two node-reported failures, an
    /// incoming transfer with refusals and an owner change of Athena's slots. Ends without a tick, so the failed
    /// attempts stay queued.
    /// </summary>
    private static ShardRouter BusyRouter()
    {
        var router = new ShardRouter(new RouterState(Earth, Genesis));

        // t1: allies report; luna has a governance node online and an empty queue, mars is busy.
        Handle(router, 1, AllyLoad("luna", 0, ["validation", "logistics"], ["governance"]));
        Handle(router, 1, AllyLoad("mars", 500, ["terraforming", "logistics", "research"], ["terraforming", "governance"]));
        var jobs = Enumerable.Range(0, 200).Select(i => new JobSubmission($"g-{i:D3}", "governance-review", 1000 + i, i % 2 == 0 ? $"00-{i:x32}-{i:x16}-01" : null))
            .Append(new JobSubmission("t-1", "terraforming-survey", 2000))
            .Append(new JobSubmission("gpu-1", "gpu-simulation", 2001))
            .Append(new JobSubmission("c-1", "governance-review", 2002))
            .ToArray();
        Handle(router, 1, new SubmitJobs("sub-1", Earth, jobs));
        Expect<JobCancelled>(Handle(router, 1, new CancelJob(Earth, "c-1", "owner")));

        // t2: no node is registered yet: t-1 is forwarded to mars, gpu-1 is unroutable, 32 jobs spill to luna.
        var t2 = router.Tick(2);
        Assert.Contains(t2.Entries, e => e is JobsSentToShard { TransferId: "earth-x1", Reason: TransferReason.Forward, ToShard: "mars" });
        Assert.Contains(t2.Entries, e => e is JobsSentToShard { TransferId: "earth-x2", Reason: TransferReason.Spillover, ToShard: "luna" });
        Assert.Contains(t2.Entries, e => e is JobFailed { JobId: "gpu-1" });

        // t3: mars takes t-1; luna takes 30 of the spilled jobs and refuses 2; the nodes register and are given 22 jobs at
        // once; t-2 arrives.
        Expect<TransferSettled>(Handle(router, 3, new SettleTransfer("earth-x1", Earth, "mars", ["t-1"], [])));
        var spilled = ((JobsSentToShard)t2.Entries.Single(e => e is JobsSentToShard { TransferId: "earth-x2" })).JobIds;
        Expect<TransferSettled>(Handle(router, 3, new SettleTransfer(
            "earth-x2", Earth, "luna", spilled.Take(30).ToArray(), spilled.Skip(30).Select(id => new JobRejection(id, "shard luna queue is full")).ToArray())));
        var titan = Handle(router, 3, new RegisterNode(Earth, Titan, ["governance", "sovereign-finance", "logistics"], 12, 0.995, 0));
        var athena = Handle(router, 3, new RegisterNode(Earth, Athena, ["research", "governance", "validation"], 10, 0.993, 0));
        Assert.Equal(22, titan.Entries.Concat(athena.Entries).OfType<JobAssigned>().Count());
        Handle(router, 3, new SubmitJobs("sub-2", Earth, [new JobSubmission("t-2", "terraforming-survey", 3000)]));

        // t4: t-2 is forwarded (and stays unsettled).
        var t4 = router.Tick(4);
        Assert.Contains(t4.Entries, e => e is JobsSentToShard { TransferId: "earth-x3" });

        // t5: one success and one failure on Titan; an incoming transfer from luna, partly refused; the owner cuts Athena's slots.
        var titanJobs = router.State.Nodes[Titan].Running.ToArray();
        Expect<JobCompleted>(Handle(router, 5, new ReportJobResults(Earth, Titan, [new JobResult(titanJobs[0], 1, true, null)])));
        Expect<AttemptFailed>(Handle(router, 5, new ReportJobResults(Earth, Titan, [new JobResult(titanJobs[1], 1, false, "boom")])));
        Expect<TransferRefused>(Handle(router, 5, new TransferJobs("luna-x1", "luna", Earth, TransferReason.Spillover,
        [
            new TransferredJob("in-1", "governance-review", "luna", 1, 0, 123),
            new TransferredJob("in-2", "gpu-simulation", "luna", 1, 1, 124),
            new TransferredJob("in-3", "no-such-template", "luna", 1, 0, 125),
        ])));
        var changed = Genesis with { Nodes = Genesis.Nodes.Select(n => n.Id == Athena ? n with { Concurrency = 6 } : n).ToArray() };
        Expect<ParametersAdopted>(Handle(router, 5, new FabricParametersPublished(1, ParameterCatalog.Flatten(changed), $"nodes.{Athena}.concurrency", "owner", 0)));
        Handle(router, 5, new NodeHeartbeat(Earth, Titan, ["governance", "sovereign-finance", "logistics"], 12, 1, router.State.Nodes[Titan].Running.Select(id => new JobAttemptRef(id, 1)).ToArray()));

        // t6: more assignments, and another spillover to luna (the cooldown has passed, the gap is still wide).
        var t6 = router.Tick(6);
        Assert.Contains(t6.Entries, e => e is JobsSentToShard { Reason: TransferReason.Spillover });

        // t7: Athena reports a failure; it stays queued with its reason because no tick follows.
        var athenaJob = router.State.Nodes[Athena].Running.First();
        Expect<AttemptFailed>(Handle(router, 7, new ReportJobResults(Earth, Athena, [new JobResult(athenaJob, 1, false, "athena says no")])));
        return router;
    }

    private static ShardLoadReported AllyLoad(string shard, int queued, params string[][] online) =>
        new(shard, 1, queued, 0, 10, true, online, online, 0);

    private static RouterStep Handle(ShardRouter router, long tick, object message) => router.Handle(message, tick);

    private static void Expect<T>(RouterStep step) where T : JournalEntry => Assert.Contains(step.Entries, e => e is T);

    private static string Describe(Effect effect) => effect switch
    {
        Send s => $"send {s.To} {s.Message.GetType().Name} {JsonSerializer.Serialize(s.Message, s.Message.GetType())}",
        Publish p => $"publish {p.Message.GetType().Name} {JsonSerializer.Serialize(p.Message, p.Message.GetType())}",
        _ => effect.ToString(),
    };
}
