using Planetary.Contracts;

namespace Planetary.Fabric.Routing;

/// <summary>
/// Where spillover is decided. When this shard's backlog exceeds an ally's by more than the shard's
/// <c>spilloverThreshold</c>, it moves a batch of its newest queued jobs to the least loaded such ally that has an
/// online node able to run them. Guards against jobs bouncing:
/// <list type="bullet">
/// <item>hysteresis: spilling to an ally starts above the threshold and stops only when the gap falls to half of it;</item>
/// <item>one move carries at most half the gap (and at most <c>spilloverBatch</c>), so it never overshoots;</item>
/// <item>a cooldown of <c>cooldownTicks</c> between moves, and a job that just arrived by transfer is not moved on;</item>
/// <item>a job is never spilled straight back to the shard it came from;</item>
/// <item>a hop limit: a job that has moved <c>hopLimit</c> times stays where it is.</item>
/// </list>
/// </summary>
public static class SpilloverPolicy
{
    internal static void Decide(ShardRouter router, RouterStep step, long tick)
    {
        var state = router.State;
        var threshold = state.Shard.SpilloverThreshold;
        var queued = state.Queue.Count;

        // Hysteresis: stop spilling to allies whose gap has closed to half the threshold.
        foreach (var id in state.Shard.SpilloverTargets)
        {
            var ally = router.Observations.Ally(id);
            if (ally.Spilling && queued - ally.EstimatedQueued <= threshold / 2)
            {
                ally.Spilling = false;
            }
        }

        if (tick - state.LastSpillTick < state.Settings.CooldownTicks || queued == 0)
        {
            return;
        }

        var candidates = state.Shard.SpilloverTargets
            .Select(router.Observations.Ally)
            .Where(a => router.IsFresh(a, tick) && a.Accepting)
            .Where(a => queued - a.EstimatedQueued > (a.Spilling ? threshold / 2 : threshold))
            .OrderBy(a => a.EstimatedQueued).ThenBy(a => a.ShardId, StringComparer.Ordinal);

        foreach (var ally in candidates)
        {
            var gap = queued - ally.EstimatedQueued;
            var count = Math.Min(state.Settings.SpilloverBatch, gap / 2);
            if (count <= 0)
            {
                continue;
            }

            var settleTicks = Math.Max(state.Settings.CooldownTicks, 1) * 4;
            var jobs = state.Queue
                .NewestFirst(ally.CanRunOnline)
                .Where(j => j.Hops < state.Settings.HopLimit && j.ArrivedFrom != ally.ShardId)
                .Where(j => j.ArrivedByTransferTick < 0 || tick - j.ArrivedByTransferTick >= settleTicks)
                .Take(count)
                .ToArray();
            if (jobs.Length == 0)
            {
                continue; // nothing this ally can run: try the next one
            }

            router.SendJobs(step, ally.ShardId, TransferReason.Spillover, jobs, tick);
            return; // one move per cooldown
        }
    }
}
