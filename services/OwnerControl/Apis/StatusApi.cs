using Microsoft.AspNetCore.Http.HttpResults;
using Planetary.Contracts;
using Planetary.Fabric.Hosting.Messaging;
using Planetary.Fabric.Manifest;
using Planetary.OwnerControl.Fleet;
using Planetary.OwnerControl.Parameters;
using Planetary.OwnerControl.Status;

namespace Planetary.OwnerControl.Apis;

/// <summary>The fleet as its services last reported it, parameter convergence, and dead letters.</summary>
public sealed record FabricStatus(
    long AtMs,
    bool Paused,
    ConvergenceView Parameters,
    IReadOnlyList<ShardStatusView> Shards,
    IReadOnlyList<NodeStatusView> Nodes,
    DeadLetterReport DeadLetters);

/// <summary>Whether every service applied the current parameter version.</summary>
public sealed record ConvergenceView(long Version, bool Converged, IReadOnlyList<ServiceVersionView> Services);

/// <summary>A service (<c>router:earth</c>, <c>node:MARS-ARES-01</c>, <c>checkpointer</c>) and the version it applied (null: never reported).</summary>
public sealed record ServiceVersionView(string Service, long? AppliedVersion, bool Converged);

/// <summary>
/// One shard as its router last reported it (counts are null until it has reported). Queued and running come from the
/// more frequent load report when it is newer.
/// </summary>
public sealed record ShardStatusView(
    string Id,
    string Label,
    bool Reporting,
    long? LastHeardMsAgo,
    long? Tick,
    bool? Paused,
    bool PausedByOwner,
    long? ParameterVersion,
    int? Queued,
    int? Running,
    int? InTransfer,
    long? Submitted,
    long? ArrivedByTransfer,
    long? Completed,
    long? Failed,
    long? Cancelled,
    long? Spilled,
    long? SpilledOut,
    long? ForwardedOut,
    long? Recoveries,
    string? InstanceId,
    int? ProcessId,
    CheckpointWritten? LastCheckpoint,
    RouterResumed? LastResume);

/// <summary>One node: its router's view (assignment follows it) and the agent's own report.</summary>
/// <param name="State">
/// <c>draining</c> while the owner drains it; <c>offline</c> when drained (it takes no work until resumed) or silent;
/// else <c>online</c> or <c>offline</c> by the router's view, else by the agent's report; <c>unknown</c> before either.
/// </param>
/// <param name="Drain"><c>none</c>, <c>draining</c> or <c>drained</c>, by the router's view (null before it reports).</param>
/// <param name="DrainDeadlineTick">While draining: the router tick at which what still runs is withdrawn.</param>
public sealed record NodeStatusView(
    string Id,
    string Shard,
    string State,
    NodeDrainState? Drain,
    long? DrainDeadlineTick,
    bool? OnlineByRouter,
    bool? Registered,
    int? RunningByRouter,
    int Slots,
    long? LastSeenTick,
    AgentStatusView? Agent);

/// <summary>A node agent's own last report.</summary>
public sealed record AgentStatusView(
    bool Online,
    int Running,
    int Slots,
    long ParameterVersion,
    long Started,
    long Succeeded,
    long Failed,
    long Rejected,
    long Stopped,
    long LostToOutage,
    long Outages,
    long LastHeardMsAgo,
    string InstanceId,
    int ProcessId);

public static class StatusApi
{
    public static IEndpointRouteBuilder MapStatusApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/status", GetAsync)
            .WithTags("Status")
            .WithName("GetStatus")
            .WithSummary("Per shard and per node status, parameter convergence per service, and dead-lettered messages")
            .WithDescription("Everything here is what the services themselves reported (routers every status interval, agents likewise); dead letters are the depths of every service's _error and _skipped queue in RabbitMQ.");
        return app;
    }

    /// <summary>The queues of every service of a manifest's fleet (routers, agents, owner control, checkpointer).</summary>
    public static IReadOnlyList<string> FleetQueues(FabricManifest manifest) =>
    [
        .. manifest.Shards.Select(s => Queues.Router(s.Id)),
        .. manifest.Nodes.Select(n => Queues.Node(n.Id)),
        Queues.OwnerControl,
        Queues.Checkpointer,
    ];

    /// <summary>Service names as they report their applied parameter version.</summary>
    public static IReadOnlyList<string> FleetServices(FabricManifest manifest) =>
    [
        .. manifest.Shards.Select(s => $"router:{s.Id}"),
        .. manifest.Nodes.Select(n => $"node:{n.Id}"),
        "checkpointer",
    ];

    private static async Task<Ok<FabricStatus>> GetAsync(
        OwnerParameters parameters, FleetView fleet, DeadLetterProbe deadLetters, TimeProvider time, CancellationToken cancellationToken)
    {
        var (manifest, version) = await parameters.CurrentAsync();
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var deadLettersRead = deadLetters.ReadAsync(FleetQueues(manifest), cancellationToken);

        var applied = fleet.AppliedVersions;
        var services = FleetServices(manifest)
            .Concat(applied.Keys.Order(StringComparer.Ordinal))
            .Distinct(StringComparer.Ordinal)
            .Select(s => applied.TryGetValue(s, out var v) ? new ServiceVersionView(s, v, v >= version) : new ServiceVersionView(s, null, false))
            .ToArray();

        var checkpoints = fleet.Checkpoints.GroupBy(c => c.ShardId).ToDictionary(g => g.Key, g => g.Last(), StringComparer.Ordinal);
        var resumes = fleet.Resumes.GroupBy(r => r.ShardId).ToDictionary(g => g.Key, g => g.Last(), StringComparer.Ordinal);
        var shards = manifest.Shards
            .Select(s => Shard(s, manifest, fleet, now, checkpoints.GetValueOrDefault(s.Id), resumes.GetValueOrDefault(s.Id)))
            .ToArray();

        var nodes = manifest.Nodes.Select(n => Node(n, RouterViewOf(n, fleet), fleet, now)).ToArray();

        return TypedResults.Ok(new FabricStatus(
            now, manifest.Fabric.Paused, new ConvergenceView(version, services.All(s => s.Converged), services), shards, nodes, await deadLettersRead));
    }

    private static ShardStatusView Shard(ShardSpec spec, FabricManifest manifest, FleetView fleet, long now, CheckpointWritten? checkpoint, RouterResumed? resume)
    {
        var pausedByOwner = manifest.Fabric.Paused || spec.Paused;
        fleet.Shards.TryGetValue(spec.Id, out var heard);
        fleet.Loads.TryGetValue(spec.Id, out var load);
        var status = heard?.Report;
        var fresherLoad = load is not null && (status is null || load.Report.Tick >= status.Tick) ? load.Report : null;
        var lastHeard = Math.Max(heard?.AtMs ?? 0, load?.AtMs ?? 0);
        return new ShardStatusView(
            spec.Id,
            spec.Label,
            status is not null || load is not null,
            lastHeard == 0 ? null : Math.Max(0, now - lastHeard),
            Math.Max(status?.Tick ?? 0, load?.Report.Tick ?? 0) is var tick and > 0 ? tick : null,
            status?.Paused,
            pausedByOwner,
            status?.ParameterVersion ?? load?.Report.ParameterVersion,
            fresherLoad?.Queued ?? status?.Queued,
            fresherLoad?.Running ?? status?.Running,
            status?.InTransfer,
            status?.Submitted,
            status?.ArrivedByTransfer,
            status?.Completed,
            status?.Failed,
            status?.Cancelled,
            status?.Spillovers,
            status?.SpilledOut,
            status?.ForwardedOut,
            status?.Recoveries,
            status?.InstanceId,
            status?.ProcessId,
            checkpoint,
            resume);
    }

    /// <summary>The node as its own shard's router last reported it.</summary>
    private static ShardNodeStatus? RouterViewOf(NodeSpec node, FleetView fleet) =>
        fleet.Shards.TryGetValue(node.Shard, out var heard) ? heard.Report.Nodes.FirstOrDefault(n => n.NodeId == node.Id) : null;

    private static NodeStatusView Node(NodeSpec spec, ShardNodeStatus? router, FleetView fleet, long now)
    {
        fleet.Nodes.TryGetValue(spec.Id, out var heard);
        var agent = heard?.Report is { } a
            ? new AgentStatusView(a.Online, a.Running, a.Slots, a.ParameterVersion, a.Started, a.Succeeded, a.Failed, a.Rejected, a.Stopped,
                a.LostToOutage, a.Outages, Math.Max(0, now - heard.AtMs), a.InstanceId, a.ProcessId)
            : null;
        var online = router?.Online ?? agent?.Online;
        return new NodeStatusView(
            spec.Id,
            spec.Shard,
            router?.Drain switch
            {
                NodeDrainState.Draining => "draining",
                NodeDrainState.Drained => "offline",
                _ => online switch { true => "online", false => "offline", null => "unknown" },
            },
            router?.Drain,
            router?.DrainDeadlineTick,
            router?.Online,
            router?.Registered,
            router?.Running,
            spec.Concurrency,
            router?.LastSeenTick,
            agent);
    }
}
