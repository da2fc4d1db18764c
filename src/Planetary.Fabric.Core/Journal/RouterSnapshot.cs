using System.Text.Json;
using System.Text.Json.Serialization;
using Planetary.Contracts;
using Planetary.Fabric.Manifest;
using Planetary.Fabric.Parameters;
using Planetary.Fabric.Routing;

namespace Planetary.Fabric.Journal;

/// <summary>
/// A router's state at one journal position, as plain data. Its size follows live state (queued, running and
/// in-transfer jobs, nodes, recent tombstones), not history. Observations (ally loads, last heartbeats) are not part
/// of it: they are rebuilt from fresh reports after a restart.
/// </summary>
public sealed record RouterSnapshot(
    int Format,
    string ShardId,
    long Tick,
    long ParameterVersion,
    IReadOnlyDictionary<string, string> Parameters,
    long HeadSeq,
    long TailSeq,
    long NextTransferNumber,
    long LastSpillTick,
    IReadOnlyList<JobSnapshot> Jobs,
    IReadOnlyList<NodeSnapshot> Nodes,
    IReadOnlyList<TransferSnapshot> Transfers,
    TombstoneColumns Tombstones,
    IReadOnlyList<RefusalSnapshot> Refusals,
    RouterCounters Counters)
{
    public const int CurrentFormat = 1;

    /// <summary>Captures a state. The result shares nothing mutable with it.</summary>
    public static RouterSnapshot Capture(RouterState s) => new(
        CurrentFormat,
        s.ShardId,
        s.Tick,
        s.ParameterVersion,
        FlatParameters(s.Manifest),
        s.HeadSeq,
        s.TailSeq,
        s.NextTransferNumber,
        s.LastSpillTick,
        s.Jobs.Values.OrderBy(j => j.Id, StringComparer.Ordinal).Select(j => new JobSnapshot(
            j.Id, j.Template, j.OriginShard, j.Hops, j.Attempts, j.SubmittedAtMs, j.TraceParent, j.AcceptedTick, j.ArrivedByTransferTick, j.ArrivedFrom,
            j.Status, j.QueueSeq, j.NodeId, j.AssignedTick, j.TransferId, j.LastFailure, j.CancelledWhileMovingBy,
            j.AttemptsWithdrawn == 0 ? null : j.AttemptsWithdrawn)).ToArray(),
        s.NodesInOrder.Select(n => n.Drain == NodeDrainState.None
            ? new NodeSnapshot(n.Id, n.Mask, n.Slots, n.Online, n.Registered)
            : new NodeSnapshot(n.Id, n.Mask, n.Slots, n.Online, n.Registered, n.Drain, n.DrainDeadlineTick)).ToArray(),
        s.TransfersInOrder.Select(t => new TransferSnapshot(t.Id, t.ToShard, t.Reason, t.JobIds.ToArray(), t.LastSentTick, t.Sends)).ToArray(),
        TombstoneColumns.Capture(s),
        s.RefusalOrder
            .Where(r => s.Refusals.ContainsKey(r.TransferId))
            .Select(r => new RefusalSnapshot(r.TransferId, r.Tick, s.Refusals[r.TransferId].ToArray())).ToArray(),
        s.Counters.Clone());

    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<FabricManifest, IReadOnlyDictionary<string, string>> Flattened = new();

    /// <summary>A manifest's parameters, flattened once per manifest (a router keeps one until the owner changes a value).</summary>
    private static IReadOnlyDictionary<string, string> FlatParameters(FabricManifest manifest) =>
        Flattened.GetValue(manifest, static m => new System.Collections.ObjectModel.ReadOnlyDictionary<string, string>(ParameterCatalog.Flatten(m)));

    /// <summary>Rebuilds a state from a snapshot over the genesis manifest (which fixes shards, nodes and capabilities).</summary>
    public RouterState Restore(FabricManifest genesis)
    {
        if (Format != CurrentFormat)
        {
            throw new InvalidOperationException($"Snapshot format {Format} is not supported (expected {CurrentFormat}).");
        }

        var state = new RouterState(ShardId, ParameterCatalog.ApplyAll(genesis, Parameters), ParameterVersion);
        var mask = new CapabilityIndex(genesis.Capabilities);
        foreach (var j in Jobs)
        {
            var template = state.Manifest.FindTemplate(j.Template)
                ?? throw new InvalidOperationException($"Snapshot job {j.Id} has unknown template {j.Template}.");
            state.RestoreJob(new RouterJob
            {
                Id = j.Id,
                Template = j.Template,
                Mask = mask.MaskOf(template.Capabilities),
                OriginShard = j.OriginShard,
                Hops = j.Hops,
                Attempts = j.Attempts,
                SubmittedAtMs = j.SubmittedAtMs,
                TraceParent = j.TraceParent,
                AcceptedTick = j.AcceptedTick,
                ArrivedByTransferTick = j.ArrivedByTransferTick,
                ArrivedFrom = j.ArrivedFrom,
                Status = j.Status,
                QueueSeq = j.QueueSeq,
                NodeId = j.NodeId,
                AssignedTick = j.AssignedTick,
                TransferId = j.TransferId,
                LastFailure = j.LastFailure,
                CancelledWhileMovingBy = j.CancelledWhileMovingBy,
                AttemptsWithdrawn = j.AttemptsWithdrawn ?? 0,
            });
        }

        foreach (var n in Nodes)
        {
            var node = state.NodeOf(n.Id, create: true);
            node.Mask = n.Mask;
            node.Slots = n.Slots;
            node.Online = n.Online;
            node.Registered = n.Registered;
            node.Drain = n.Drain ?? NodeDrainState.None;
            node.DrainDeadlineTick = n.DrainDeadlineTick ?? 0;
        }

        foreach (var job in state.Jobs.Values.Where(j => j.Status == RouterJobStatus.Running).OrderBy(j => j.Id, StringComparer.Ordinal))
        {
            state.Nodes[job.NodeId!].RunningSet.Add(job.Id);
        }

        foreach (var t in Transfers)
        {
            state.RestoreTransfer(new OutgoingTransfer
            {
                Id = t.Id, ToShard = t.ToShard, Reason = t.Reason, JobIds = t.JobIds.ToArray(), LastSentTick = t.LastSentTick, Sends = t.Sends,
            });
        }

        Tombstones.RestoreInto(state);
        foreach (var r in Refusals)
        {
            state.RestoreRefusal(r.TransferId, r.Tick, r.Jobs);
        }

        state.RestoreScalars(Tick, HeadSeq, TailSeq, NextTransferNumber, LastSpillTick, Counters.Clone());
        return state;
    }
}

public sealed record JobSnapshot(
    string Id,
    string Template,
    string OriginShard,
    int Hops,
    int Attempts,
    long SubmittedAtMs,
    string? TraceParent,
    long AcceptedTick,
    long ArrivedByTransferTick,
    string? ArrivedFrom,
    RouterJobStatus Status,
    long QueueSeq,
    string? NodeId,
    long AssignedTick,
    string? TransferId,
    string? LastFailure,
    string? CancelledWhileMovingBy = null,
    int? AttemptsWithdrawn = null);

public sealed record RefusalSnapshot(string TransferId, long Tick, JobRejection[] Jobs);

/// <summary>A node; <paramref name="Drain"/> and <paramref name="DrainDeadlineTick"/> only while the owner drains it (or drained it).</summary>
public sealed record NodeSnapshot(string Id, ulong Mask, int Slots, bool Online, bool Registered, NodeDrainState? Drain = null, long? DrainDeadlineTick = null);

public sealed record TransferSnapshot(string Id, string ToShard, TransferReason Reason, string[] JobIds, long LastSentTick, int Sends);

/// <summary>
/// Tombstones in expiry order, stored column by column so a snapshot stays small: kinds as one letter each
/// (<c>C</c>ompleted, <c>F</c>ailed, <c>X</c> cancelled, <c>M</c>oved to an ally), ticks as deltas, and for the moved
/// ones only, in the same order, the ally each went to. Written by <see cref="TombstoneColumnsJsonConverter"/>.
/// </summary>
[JsonConverter(typeof(TombstoneColumnsJsonConverter))]
public sealed record TombstoneColumns(string[] JobIds, string Kinds, long[] TickDeltas, int[] Hops, string[] MovedTo)
{
    internal const string KindLetters = "CFXM";

    private (string[] Of, JsonEncodedText[] Json)? _jsonJobIds;

    /// <summary>The job ids as JSON text, when captured from a book that keeps them encoded (null once the ids were replaced).</summary>
    internal JsonEncodedText[]? JsonJobIds => _jsonJobIds is { } encoded && ReferenceEquals(encoded.Of, JobIds) ? encoded.Json : null;

    public static TombstoneColumns Capture(RouterState s)
    {
        var count = s.Tombstones.Count;
        var ids = new string[count];
        var jsonIds = new JsonEncodedText[count];
        var kinds = new char[count];
        var deltas = new long[count];
        var hops = new int[count];
        var moved = 0;
        var i = 0;
        var previous = 0L;
        foreach (var entry in s.Tombstones.Order)
        {
            if (!entry.Live)
            {
                continue;
            }

            var stone = entry.Stone;
            ids[i] = entry.JobId;
            jsonIds[i] = entry.JsonJobId;
            kinds[i] = KindLetters[(int)stone.Kind];
            deltas[i] = stone.Tick - previous;
            previous = stone.Tick;
            hops[i] = stone.Hops;
            if (stone.Kind == TombstoneKind.MovedToAlly)
            {
                moved++;
            }

            i++;
        }

        var movedTo = new string[moved];
        if (moved > 0)
        {
            moved = 0;
            foreach (var entry in s.Tombstones.Order)
            {
                if (entry.Live && entry.Stone.Kind == TombstoneKind.MovedToAlly)
                {
                    movedTo[moved++] = entry.Stone.MovedTo ?? string.Empty;
                }
            }
        }

        return new TombstoneColumns(ids, new string(kinds), deltas, hops, movedTo) { _jsonJobIds = (ids, jsonIds) };
    }

    public void RestoreInto(RouterState state)
    {
        if (Kinds.Length != JobIds.Length || TickDeltas.Length != JobIds.Length || Hops.Length != JobIds.Length)
        {
            throw new InvalidOperationException("Snapshot tombstone columns differ in length.");
        }

        var tick = 0L;
        var moved = 0;
        for (var i = 0; i < JobIds.Length; i++)
        {
            tick += TickDeltas[i];
            var kind = KindLetters.IndexOf(Kinds[i]);
            if (kind < 0)
            {
                throw new InvalidOperationException($"Snapshot tombstone kind '{Kinds[i]}' is unknown.");
            }

            string? ally = null;
            if ((TombstoneKind)kind == TombstoneKind.MovedToAlly)
            {
                ally = moved < MovedTo.Length && MovedTo[moved] is { Length: > 0 } named ? named
                    : throw new InvalidOperationException($"Snapshot tombstone of moved job {JobIds[i]} does not say where it went.");
                moved++;
            }

            state.RestoreTombstone(JobIds[i], new Tombstone((TombstoneKind)kind, tick, Hops[i], ally));
        }
    }

    public int Count => JobIds.Length;
}
