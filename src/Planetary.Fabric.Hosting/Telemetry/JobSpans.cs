using System.Diagnostics;
using Planetary.Fabric.Determinism;

namespace Planetary.Fabric.Hosting.Telemetry;

/// <summary>
/// Spans about one job, parented on the job's own trace context (carried with the job from its submission), so a
/// single trace follows the job from owner control through its routers to the agent that ran it.
/// </summary>
public static class JobSpans
{
    public static Activity? Start(ActivitySource source, string name, string? traceParent, string jobId, DateTimeOffset? startTime = null)
    {
        if (traceParent is null || !ActivityContext.TryParse(traceParent, null, isRemote: true, out var parent))
        {
            return null;
        }

        var activity = source.StartActivity(name, ActivityKind.Internal, parent, startTime: startTime ?? default);
        activity?.SetTag("planetary.job.id", jobId);
        return activity;
    }

    /// <summary>
    /// Which jobs of a traced submission carry its trace (each carrying job makes about four spans across the fleet).
    /// The request itself is always traced, and so is its first job: one job submitted by hand is followed end to end.
    /// Every other job carries it at <paramref name="ratio"/> (<c>Telemetry:RootSampleRatio</c>), decided by its id so
    /// a retried submission decides the same: a batch of 1,000 traces about 11 jobs, not 1,000.
    /// </summary>
    public static string? TraceParentFor(string? traceParent, int index, string jobId, double ratio) =>
        traceParent is not null && (index == 0 || StableHash.Unit(0, "job-trace", jobId, 0) < ratio) ? traceParent : null;

    /// <summary>The current trace context as W3C <c>traceparent</c> text, or null outside a recorded trace.</summary>
    public static string? CurrentTraceParent() =>
        Activity.Current is { IdFormat: ActivityIdFormat.W3C } current ? current.Id : null;
}
