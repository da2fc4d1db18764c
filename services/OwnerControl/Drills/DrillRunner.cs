using System.Globalization;
using Microsoft.Extensions.Options;
using Planetary.Fabric.Drills;
using Planetary.Fabric.Hosting;
using Planetary.Fabric.Hosting.Messaging;
using Planetary.Fabric.Hosting.Redis;
using Planetary.Fabric.Runtime.Ports;
using Planetary.OwnerControl.Fleet;

namespace Planetary.OwnerControl.Drills;

/// <summary>
/// Validates drill requests, runs one drill at a time in the background, and keeps the progress of the last
/// <see cref="DrillOptions.KeepDrills"/> drills (older finished ones are forgotten; their bundles stay on disk).
/// </summary>
public sealed class DrillRunner(
    GenesisManifest genesis,
    ParameterStore parameters,
    FleetView fleet,
    Books books,
    RedisSnapshotStore snapshots,
    IJournalStore journal,
    EffectDispatcher dispatcher,
    IOwnerParameterChanger changer,
    IOptions<DrillOptions> options,
    IHostApplicationLifetime lifetime,
    TimeProvider time,
    ILogger<LiveDrill> logger) : IDrillRunner
{
    private readonly DrillHistory<LiveDrill> _drills = new(options.Value.KeepDrills, d => d.Id, d => d.Progress.StartedAtMs);
    private readonly object _startGate = new();
    private LiveDrill? _running;

    public async Task<DrillStart> StartAsync(DrillRequest request, string actor, CancellationToken cancellationToken)
    {
        var (manifest, _) = await parameters.CurrentManifestAsync(genesis.Manifest);
        var (plan, problem) = PlanFor(request, manifest);
        if (plan is null)
        {
            return new DrillStart(null, DrillRefusal.Invalid, problem);
        }

        lock (_startGate)
        {
            if (_running is { Progress.State: DrillState.Running or DrillState.Settling } busy)
            {
                return new DrillStart(null, DrillRefusal.Busy,
                    $"Drill {busy.Id} (started by {busy.Progress.Actor}) is {busy.Progress.State.ToString().ToLowerInvariant()}; one drill runs at a time. Follow it at /api/drills/{busy.Id}.");
            }

            var now = time.GetUtcNow();
            var id = $"drill-{now:yyyyMMdd-HHmmss}-s{plan.Seed}";
            var context = new DrillContext(
                id, $"d{now:HHmmss}{plan.Seed % 1000:D3}", actor, now.ToUnixTimeMilliseconds(), plan, manifest, genesis.Manifest, options.Value,
                fleet, books, parameters, snapshots, journal, snapshots, dispatcher, changer, time, logger);
            var drill = new LiveDrill(context);
            _drills.Add(drill);
            _running = drill;
            _ = Task.Run(() => drill.RunAsync(lifetime.ApplicationStopping), CancellationToken.None);
            return new DrillStart(drill.Progress, null, null);
        }
    }

    public DrillProgress? Find(string id) => _drills.Find(id)?.Progress;

    public IReadOnlyList<DrillProgress> All() => _drills.All().Select(d => d.Progress).ToArray();

    /// <summary>The acceptance plan, adjusted by the request; every value is checked and a problem names what is wrong.</summary>
    private (DrillPlan? Plan, string? Problem) PlanFor(DrillRequest request, Fabric.Manifest.FabricManifest manifest)
    {
        var jobs = request.JobsPerShard ?? 10_000;
        if (jobs < 1 || jobs > options.Value.MaxJobsPerShard)
        {
            return (null, $"jobsPerShard must be from 1 to {options.Value.MaxJobsPerShard.ToString(CultureInfo.InvariantCulture)}, got {jobs}");
        }

        var demand = request.Demand ?? "uneven";
        if (demand is not ("uneven" or "even"))
        {
            return (null, $"demand must be 'uneven' or 'even', got '{demand}'");
        }

        var faults = request.Faults ?? new DrillFaultRequest();
        if (faults.OutageNode is { } node && manifest.FindNode(node) is null)
        {
            return (null, $"unknown node '{node}' for the outage");
        }

        if (faults.CrashShard is { } shard && manifest.FindShard(shard) is null)
        {
            return (null, $"unknown shard '{shard}' for the router crash");
        }

        if (!DrillSeed.TryParse(request.Seed ?? "42", out var seed, out var seedText, out var seedProblem))
        {
            return (null, seedProblem);
        }

        var plan = DrillPlan.Acceptance(manifest, jobs, seed) with { SeedText = seedText };
        plan = plan with
        {
            Demand = demand == "even" ? manifest.Shards.ToDictionary(s => s.Id, _ => 1.0, StringComparer.Ordinal) : plan.Demand,
            NodeOutages = !faults.NodeOutage ? [] : plan.NodeOutages.Select(o => o with { NodeId = faults.OutageNode ?? o.NodeId }).ToArray(),
            RouterCrashes = !faults.RouterCrash ? [] : plan.RouterCrashes.Select(c => c with { ShardId = faults.CrashShard ?? c.ShardId }).ToArray(),
            OwnerChanges = faults.OwnerChange ? plan.OwnerChanges : [],
        };
        return (plan, null);
    }
}
