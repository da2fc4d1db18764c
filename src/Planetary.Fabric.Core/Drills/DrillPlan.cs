using Planetary.Fabric.Manifest;

namespace Planetary.Fabric.Drills;

/// <summary>
/// What the acceptance drill does, in ticks: the same plan drives the simulator and the live fleet. The pacer offers
/// at most <paramref name="MaxSubmitPerTick"/> jobs a tick and keeps about <paramref name="BacklogTarget"/> outstanding,
/// both shared between the shards by <paramref name="Demand"/>.
/// </summary>
public sealed record DrillPlan(
    ulong Seed,
    int JobsPerShard,
    IReadOnlyDictionary<string, double> Demand,
    int MaxSubmitPerTick,
    int BacklogTarget,
    IReadOnlyList<NodeOutage> NodeOutages,
    IReadOnlyList<RouterCrash> RouterCrashes,
    IReadOnlyList<OwnerChange> OwnerChanges,
    string? SeedText = null)
{
    /// <summary>
    /// The acceptance drill: uneven demand (Earth four times Luna and Edge, Mars twice), an outage of one Mars node,
    /// a crash of the Earth router mid-run, and an owner change of the spillover batch mid-run. Times scale with the
    /// run's slot ceiling (its shortest possible length) so a small drill exercises the same faults.
    /// </summary>
    public static DrillPlan Acceptance(FabricManifest manifest, int jobsPerShard, ulong seed)
    {
        var demand = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var shard in manifest.Shards)
        {
            demand[shard.Id] = shard.Id switch { "earth" => 4, "mars" => 2, _ => 1 };
        }

        var rate = SustainableRatePerTick(manifest);
        // The faults strike early enough that a run near its slot ceiling still meets them all.
        var expectedTicks = (int)Math.Max(60, DrillCeiling.Of(manifest, DrillCeiling.JobsPerTemplate(manifest, jobsPerShard, seed), []).Ticks);
        // Crash half-way between two checkpoints and come back before the next one, so the restart really
        // replays a journal tail on top of a snapshot.
        var interval = manifest.Checkpoint.IntervalTicks;
        var crashTick = Math.Max(interval, expectedTicks / 2 / interval * interval) + interval / 2;
        var downTicks = Math.Max(1, Math.Min(10, interval / 4));
        var outageNode = manifest.Nodes.FirstOrDefault(n => n.Id == "MARS-ARES-02") ?? manifest.Nodes[^1];
        var crashShard = manifest.Shards.FirstOrDefault(s => s.Id == "earth") ?? manifest.Shards[0];
        return new DrillPlan(
            seed,
            jobsPerShard,
            demand,
            MaxSubmitPerTick: 2 * rate, // room to run ahead of the estimate: the backlog, not this, is the usual bound
            BacklogTarget: BacklogTargetFor(manifest),
            // The outage outlasts the heartbeat grace twice over, so the router really declares the node offline.
            [new NodeOutage(outageNode.Id, StartTick: expectedTicks / 4, Ticks: Math.Max(manifest.Routers.HeartbeatGraceTicks * 2, expectedTicks / 10))],
            [new RouterCrash(crashShard.Id, AtTick: crashTick, DownTicks: downTicks)],
            [new OwnerChange(AtTick: expectedTicks / 3, "routers.spilloverBatch", (manifest.Routers.SpilloverBatch * 2).ToString(System.Globalization.CultureInfo.InvariantCulture), "drill")]);
    }

    /// <summary>The backlog that keeps every slot busy: every shard's <see cref="BacklogFloor"/>.</summary>
    public static int BacklogTargetFor(FabricManifest manifest) => manifest.Shards.Sum(s => BacklogFloor(manifest, s));

    /// <summary>
    /// The least backlog a shard with jobs left is kept at: a running job and one waiting for each of its own slots, and
    /// its spillover threshold on top (a queue over it is what moves work to an idle neighbour), so that jobs its own
    /// nodes cannot run (their only capable node is offline, say) spill rather than hold the backlog and starve it.
    /// </summary>
    public static int BacklogFloor(FabricManifest manifest, ShardSpec shard) =>
        (2 * manifest.NodesOf(shard.Id).Sum(n => n.Concurrency)) + shard.SpilloverThreshold;

    /// <summary>About how many jobs per tick the fabric can finish: slots over the mean template duration.</summary>
    public static int SustainableRatePerTick(FabricManifest manifest)
    {
        var slots = manifest.Nodes.Sum(n => n.Concurrency);
        var weighted = manifest.JobTemplates.Where(t => t.Weight > 0).ToArray();
        var meanTicks = weighted.Sum(t => t.Weight * Math.Max(1, Math.Ceiling(t.DurationTicks * manifest.Execution.TimeScale))) / weighted.Sum(t => t.Weight);
        return Math.Max(1, (int)(slots / Math.Max(1.0, meanTicks + 1)));
    }
}

/// <summary>A node goes silent at <paramref name="StartTick"/> for <paramref name="Ticks"/> ticks and loses its running work.</summary>
public sealed record NodeOutage(string NodeId, long StartTick, int Ticks);

/// <summary>A router process dies at <paramref name="AtTick"/> (losing its memory) and is back <paramref name="DownTicks"/> later.</summary>
public sealed record RouterCrash(string ShardId, long AtTick, int DownTicks);

/// <summary>An owner parameter change during the run.</summary>
public sealed record OwnerChange(long AtTick, string Path, string Value, string Actor);
