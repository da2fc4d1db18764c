using System.Diagnostics;

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

    /// <summary>The current trace context as W3C <c>traceparent</c> text, or null outside a recorded trace.</summary>
    public static string? CurrentTraceParent() =>
        Activity.Current is { IdFormat: ActivityIdFormat.W3C } current ? current.Id : null;
}
