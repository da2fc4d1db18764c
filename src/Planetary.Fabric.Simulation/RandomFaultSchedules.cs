using System.Globalization;
using Planetary.Fabric.Determinism;
using Planetary.Fabric.Drills;
using Planetary.Fabric.Manifest;

namespace Planetary.Fabric.Simulation;

/// <summary>
/// Seeded random fault schedules for the invariant tests. The drill plan gets node outages, router kills (sometimes two
/// at once, sometimes back to back) and owner changes mid-run (spillover batch, thresholds, concurrency, attempts, pause
/// and resume of a shard or of the fabric); on top come the simulator's faults: a lossy, duplicating, reordering bus,
/// agent crashes, a second router of a shard running beside the first, the checkpointer dying mid-round, a second
/// checkpointer, state-store restarts (some in the middle of a commit), broker restarts, full-fleet restarts, and
/// clients that resubmit batches and cancel jobs. Every schedule ends with the fabric resumed, so every job must end.
/// </summary>
public static class RandomFaultSchedules
{
    public static SimulationOptions Create(FabricManifest manifest, ulong seed)
    {
        var random = SeededRandom.For(seed, "schedule");
        var jobsPerShard = random.NextInt(20, 120);
        var bus = new BusFaults(
            DropRate: random.Chance(0.5) ? random.NextDouble() * 0.05 : 0,
            DuplicateRate: random.NextDouble() * 0.05,
            MaxExtraDelayTicks: random.NextInt(0, 3));

        var rate = Math.Max(2, DrillPlan.SustainableRatePerTick(manifest) * random.NextInt(50, 150) / 100);
        var horizon = Math.Max(40, jobsPerShard * manifest.Shards.Count / rate);
        var demand = manifest.Shards.ToDictionary(s => s.Id, _ => (double)random.NextInt(1, 5), StringComparer.Ordinal);

        var outages = new List<NodeOutage>();
        for (var i = random.NextInt(0, 3); i > 0; i--)
        {
            outages.Add(new NodeOutage(Pick(random, manifest.Nodes).Id, random.NextInt(1, horizon), random.NextInt(1, 60)));
        }

        var crashes = new List<RouterCrash>();
        for (var i = random.NextInt(0, 3); i > 0; i--)
        {
            crashes.Add(new RouterCrash(Pick(random, manifest.Shards).Id, random.NextInt(2, horizon), random.NextInt(1, 30)));
        }

        var changes = new List<OwnerChange>();
        for (var i = random.NextInt(0, 4); i > 0; i--)
        {
            var at = random.NextInt(1, horizon);
            switch (random.NextInt(6))
            {
                case 0:
                    changes.Add(new OwnerChange(at, "routers.spilloverBatch", Text(random.NextInt(1, 128)), "chaos"));
                    break;
                case 1:
                    changes.Add(new OwnerChange(at, $"shards.{Pick(random, manifest.Shards).Id}.spilloverThreshold", Text(random.NextInt(0, 200)), "chaos"));
                    break;
                case 2:
                    changes.Add(new OwnerChange(at, $"nodes.{Pick(random, manifest.Nodes).Id}.concurrency", Text(random.NextInt(1, 24)), "chaos"));
                    break;
                case 3:
                    changes.Add(new OwnerChange(at, "routers.maxAttempts", Text(random.NextInt(2, 6)), "chaos"));
                    break;
                case 4:
                    var shard = Pick(random, manifest.Shards).Id;
                    changes.Add(new OwnerChange(at, $"shards.{shard}.paused", "true", "chaos"));
                    changes.Add(new OwnerChange(at + random.NextInt(1, 40), $"shards.{shard}.paused", "false", "chaos"));
                    break;
                default:
                    changes.Add(new OwnerChange(at, "fabric.paused", "true", "chaos"));
                    changes.Add(new OwnerChange(at + random.NextInt(1, 40), "fabric.paused", "false", "chaos"));
                    break;
            }
        }

        var faults = new List<SimulatedFault>();
        for (var i = random.NextInt(0, 2); i > 0; i--)
        {
            faults.Add(new SimulatedFault.AgentCrash(random.NextInt(1, horizon), Pick(random, manifest.Nodes).Id));
        }

        if (random.Chance(0.3))
        {
            faults.Add(new SimulatedFault.SecondRouter(random.NextInt(1, horizon), Pick(random, manifest.Shards).Id));
        }

        if (random.Chance(0.3))
        {
            faults.Add(new SimulatedFault.CheckpointerCrash(random.NextInt(1, horizon), random.NextInt(0, manifest.Shards.Count - 1), random.NextInt(1, 60)));
        }

        if (random.Chance(0.2))
        {
            faults.Add(new SimulatedFault.SecondCheckpointer(random.NextInt(1, horizon)));
        }

        if (random.Chance(0.3))
        {
            faults.Add(new SimulatedFault.StateStoreRestart(random.NextInt(1, horizon), random.NextInt(1, 30), random.Chance(0.5), random.Chance(0.5)));
        }

        if (random.Chance(0.3))
        {
            faults.Add(new SimulatedFault.BrokerRestart(random.NextInt(1, horizon), random.NextInt(1, 40), random.NextDouble() * 0.3));
        }

        if (random.Chance(0.15))
        {
            faults.Add(new SimulatedFault.FleetRestart(random.NextInt(1, horizon), random.NextInt(1, 30)));
        }

        for (var i = random.NextInt(0, 5); i > 0; i--)
        {
            faults.Add(new SimulatedFault.ClientResubmit(random.NextInt(1, horizon * 2), ToAnotherShard: random.Chance(0.3)));
        }

        if (random.Chance(0.2))
        {
            faults.Add(new SimulatedFault.PoisonMessages(random.NextInt(1, horizon)));
        }

        for (var i = random.NextInt(0, 5); i > 0; i--)
        {
            faults.Add(new SimulatedFault.ClientCancel(random.NextInt(1, horizon)));
        }

        // Drawn last, so everything above stays what each seed gave before drains existed.
        for (var i = random.NextInt(0, 2); i > 0; i--)
        {
            var drained = Pick(random, manifest.Nodes).Id;
            var at = random.NextInt(1, horizon);
            if (random.Chance(0.5))
            {
                changes.Add(new OwnerChange(at, "routers.drainDeadlineTicks", Text(random.Chance(0.3) ? 0 : random.NextInt(1, 40)), "chaos"));
            }

            changes.Add(new OwnerChange(at, $"nodes.{drained}.draining", "true", "chaos"));
            changes.Add(new OwnerChange(at + random.NextInt(1, 80), $"nodes.{drained}.draining", "false", "chaos"));
        }

        var plan = new DrillPlan(seed, jobsPerShard, demand, rate, Math.Max(50, rate * random.NextInt(5, 40)), outages, crashes, changes);
        return new SimulationOptions(manifest, plan, bus, MaxTicks: 20_000, RecordTimeline: false, Faults: faults);
    }

    private static T Pick<T>(SeededRandom random, IReadOnlyList<T> items) => items[random.NextInt(items.Count)];

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
}
