using Microsoft.AspNetCore.Http.HttpResults;
using Planetary.OwnerControl.Fleet;
using Planetary.OwnerControl.Problems;

namespace Planetary.OwnerControl.Apis;

/// <summary>The fleet's recent past, per shard, in the order of <see cref="Shards"/>.</summary>
/// <param name="OldestMs">The oldest sample still kept (older moments are gone: see <see cref="RetentionMs"/>).</param>
public sealed record FleetHistoryView(long IntervalMs, long RetentionMs, long? OldestMs, IReadOnlyList<string> Shards, IReadOnlyList<HistoryPoint> Points);

/// <summary>
/// One moment: each shard's queue depth, running jobs, and jobs finished per second since the previous point (null
/// where the router was silent, or restarted with a lower count).
/// </summary>
public sealed record HistoryPoint(long AtMs, IReadOnlyList<int?> Queued, IReadOnlyList<int?> Running, IReadOnlyList<double?> FinishedPerSecond);

public static class HistoryApi
{
    public const int DefaultWindowMinutes = 10;
    public const int DefaultPoints = 300;
    public const int MaxPoints = 2_000;

    public static IEndpointRouteBuilder MapHistoryApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/status/history", Get)
            .WithTags("Status")
            .WithName("GetFleetHistory")
            .WithSummary("Queue depth, running jobs and throughput per shard over a window (default: the last 10 minutes)")
            .WithDescription($"sinceMs and untilMs are Unix milliseconds; points (2 to {MaxPoints}, default {DefaultPoints}) thins the samples evenly. " +
                             "Owner control samples the routers' reports every OwnerControl:HistoryIntervalMs and keeps OwnerControl:HistoryRetentionMinutes of them.")
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        return app;
    }

    private static Results<Ok<FleetHistoryView>, ProblemHttpResult> Get(long? sinceMs, long? untilMs, int? points, FleetHistory history, TimeProvider time)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var until = untilMs ?? now;
        var since = sinceMs ?? until - DefaultWindowMinutes * 60_000L;
        var wanted = points ?? DefaultPoints;
        if (wanted is < 2 or > MaxPoints)
        {
            return OwnerProblems.Of(StatusCodes.Status422UnprocessableEntity, ProblemTypes.OutOfRange, "Value out of range",
                $"points must be an integer from 2 to {MaxPoints}, got {wanted}.");
        }

        if (since > until)
        {
            return OwnerProblems.Of(StatusCodes.Status422UnprocessableEntity, ProblemTypes.OutOfRange, "Value out of range",
                $"sinceMs ({since}) must not be later than untilMs ({until}).");
        }

        var samples = Thin(history.Between(since, until), wanted);
        var view = new List<HistoryPoint>(samples.Count);
        for (var i = 0; i < samples.Count; i++)
        {
            var sample = samples[i];
            var previous = i == 0 ? null : samples[i - 1];
            view.Add(new HistoryPoint(
                sample.AtMs,
                sample.Shards.Select(s => s.Queued).ToArray(),
                sample.Shards.Select(s => s.Running).ToArray(),
                sample.Shards.Select((s, shard) => Rate(previous, sample, shard)).ToArray()));
        }

        return TypedResults.Ok(new FleetHistoryView(
            (long)history.Interval.TotalMilliseconds, (long)history.Retention.TotalMilliseconds, history.OldestMs, history.ShardIds, view));
    }

    /// <summary>At most <paramref name="points"/> samples, evenly spaced, always keeping the newest.</summary>
    private static IReadOnlyList<FleetSample> Thin(IReadOnlyList<FleetSample> samples, int points)
    {
        if (samples.Count <= points)
        {
            return samples;
        }

        var step = (double)(samples.Count - 1) / (points - 1);
        return Enumerable.Range(0, points).Select(i => samples[(int)Math.Round(i * step)]).ToArray();
    }

    private static double? Rate(FleetSample? previous, FleetSample current, int shard)
    {
        if (previous is null || previous.Shards[shard].Finished is not { } before || current.Shards[shard].Finished is not { } after || after < before)
        {
            return null;
        }

        var seconds = (current.AtMs - previous.AtMs) / 1000.0;
        return seconds <= 0 ? null : Math.Round((after - before) / seconds, 2);
    }
}
