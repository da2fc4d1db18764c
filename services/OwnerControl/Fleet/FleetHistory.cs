using Microsoft.Extensions.Options;
using Planetary.Fabric.Hosting;

namespace Planetary.OwnerControl.Fleet;

/// <summary>One shard in one sample: what its router last reported (null: not heard from recently).</summary>
/// <param name="Finished">The router's cumulative completed + failed count (throughput is its rate).</param>
public sealed record ShardSample(int? Queued, int? Running, int? Moving, long? Finished);

/// <summary>The fleet at one moment: one <see cref="ShardSample"/> per shard, in manifest order.</summary>
public sealed record FleetSample(long AtMs, IReadOnlyList<ShardSample> Shards);

/// <summary>
/// The recent past of the fleet for the owner's charts (queue depth and throughput over the last minutes, and queue
/// depth per shard over a drill): every <see cref="OwnerControlOptions.HistoryIntervalMs"/> it samples what the routers
/// last reported to <see cref="FleetView"/>, the same reports the drill's skew sampler reads. Bounded: it keeps
/// <see cref="OwnerControlOptions.HistoryRetentionMinutes"/> of samples (default 2 h at 2 s: 3,600 samples of a few
/// numbers per shard) and drops the oldest. It observes; it decides nothing.
/// </summary>
public sealed class FleetHistory(FleetView fleet, GenesisManifest genesis, IOptions<OwnerControlOptions> options, TimeProvider time)
{
    /// <summary>A router not heard from for this long shows as a gap, not as its last figures.</summary>
    public static readonly TimeSpan SilentAfter = TimeSpan.FromSeconds(10);

    private readonly object _gate = new();
    private readonly Queue<FleetSample> _samples = new();

    public IReadOnlyList<string> ShardIds { get; } = genesis.Manifest.Shards.Select(s => s.Id).ToArray();

    public TimeSpan Interval => TimeSpan.FromMilliseconds(options.Value.HistoryIntervalMs);

    public TimeSpan Retention => TimeSpan.FromMinutes(options.Value.HistoryRetentionMinutes);

    /// <summary>Most samples kept.</summary>
    public int Capacity => (int)Math.Max(1, Retention.TotalMilliseconds / options.Value.HistoryIntervalMs);

    /// <summary>Takes one sample now (the sampler calls it every interval).</summary>
    public FleetSample Sample()
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var silentBefore = now - (long)SilentAfter.TotalMilliseconds;
        var shards = ShardIds.Select(id =>
        {
            fleet.Shards.TryGetValue(id, out var status);
            fleet.Loads.TryGetValue(id, out var load);
            var freshStatus = status is not null && status.AtMs >= silentBefore ? status.Report : null;
            var freshLoad = load is not null && load.AtMs >= silentBefore ? load.Report : null;
            var loadIsNewer = freshLoad is not null && (freshStatus is null || freshLoad.Tick >= freshStatus.Tick);
            return new ShardSample(
                loadIsNewer ? freshLoad!.Queued : freshStatus?.Queued,
                loadIsNewer ? freshLoad!.Running : freshStatus?.Running,
                freshStatus?.InTransfer,
                freshStatus is null ? null : freshStatus.Completed + freshStatus.Failed);
        }).ToArray();

        var sample = new FleetSample(now, shards);
        lock (_gate)
        {
            _samples.Enqueue(sample);
            while (_samples.Count > Capacity)
            {
                _samples.Dequeue();
            }
        }

        return sample;
    }

    /// <summary>The samples taken from <paramref name="sinceMs"/> to <paramref name="untilMs"/>, oldest first.</summary>
    public IReadOnlyList<FleetSample> Between(long sinceMs, long untilMs)
    {
        lock (_gate)
        {
            return _samples.Where(s => s.AtMs >= sinceMs && s.AtMs <= untilMs).ToArray();
        }
    }

    /// <summary>When the oldest sample kept was taken (null: none yet).</summary>
    public long? OldestMs
    {
        get
        {
            lock (_gate)
            {
                return _samples.Count == 0 ? null : _samples.Peek().AtMs;
            }
        }
    }
}

/// <summary>Takes a <see cref="FleetHistory"/> sample every interval.</summary>
public sealed class FleetHistorySampler(FleetHistory history, TimeProvider time) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(history.Interval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                history.Sample();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // stopping
        }
    }
}
