using System.Diagnostics;
using Planetary.Contracts;
using Planetary.Fabric.Hosting.Telemetry;
using Planetary.Fabric.Journal;
using Planetary.Fabric.Routing;
using Planetary.Fabric.Runtime.Routers;

namespace Planetary.ShardRouter;

/// <summary>What the live router reports of its shell: meters, job spans in each job's own trace, and logs.</summary>
internal sealed partial class RouterObserver(string shardId, RouterTelemetry telemetry, ILogger logger) : IRouterShellObserver
{
    public void Recovered(RouterResumed resumed, long epoch, TimeSpan took) =>
        LogRecovered(shardId, epoch, resumed.SnapshotId ?? "(none)", resumed.JournalEntriesReplayed, resumed.JobsRestored, resumed.Tick, (long)took.TotalMilliseconds);

    public void Committed(RouterState state, RouterStep step, int inputs, TimeSpan took)
    {
        telemetry.Committed(state, step, inputs, took.TotalMilliseconds);
        TraceJobs(state, step);
    }

    public void OutcomesAlreadyInBooks(IReadOnlyList<JobOutcome> outcomes, int count)
    {
        telemetry.OutcomesAlreadyInBooks(count);
        LogOutcomesAlreadyInBooks(shardId, count, string.Join(", ", outcomes.Take(10).Select(o => o.JobId)));
    }

    public void DispatchRetry(int attempt, Exception error) => LogDispatchRetry(shardId, attempt, error.Message);

    public void CrashRequested(CrashRouter request) => LogCrashRequested(shardId, request.Actor);

    public void Quarantined(RouterInput input, string problem)
    {
        telemetry.Quarantined();
        LogQuarantined(shardId, input.Message.GetType().Name, problem);
    }

    private void TraceJobs(RouterState state, RouterStep step)
    {
        foreach (var entry in step.Entries)
        {
            switch (entry)
            {
                case JobAccepted accepted when accepted.TraceParent is not null:
                    using (var span = JobSpans.Start(telemetry.Source, accepted.FromShard is null ? "job accepted" : "job arrived", accepted.TraceParent, accepted.JobId))
                    {
                        span?.SetTag("planetary.shard", shardId);
                        span?.SetTag("planetary.job.template", accepted.Template);
                        span?.SetTag("planetary.job.from_shard", accepted.FromShard);
                    }

                    break;
                case JobAssigned assigned when state.Jobs.TryGetValue(assigned.JobId, out var job) && job.TraceParent is not null:
                    using (var span = JobSpans.Start(telemetry.Source, "job assigned", job.TraceParent, assigned.JobId))
                    {
                        span?.SetTag("planetary.shard", shardId);
                        span?.SetTag("planetary.node", assigned.NodeId);
                        span?.SetTag("planetary.job.attempt", assigned.Attempt);
                    }

                    break;
            }
        }

        foreach (var outcome in step.Outcomes)
        {
            using var span = JobSpans.Start(telemetry.Source, $"job {outcome.Kind.ToString().ToLowerInvariant()}", outcome.TraceParent, outcome.JobId);
            span?.SetTag("planetary.shard", shardId);
            span?.SetTag("planetary.node", outcome.NodeId);
            span?.SetTag("planetary.job.attempts", outcome.Attempts);
            if (outcome.Kind != JobOutcomeKind.Completed)
            {
                span?.SetStatus(ActivityStatusCode.Error, outcome.Reason);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Router {ShardId} owns its shard at epoch {Epoch}: restored snapshot {SnapshotId} + {Replayed} journal entries, {Jobs} jobs, tick {Tick}, in {RecoveryMs} ms")]
    private partial void LogRecovered(string shardId, long epoch, string snapshotId, int replayed, int jobs, long tick, long recoveryMs);

    [LoggerMessage(Level = LogLevel.Error, Message = "Router {ShardId}: the books already held {Count} outcomes of a commit (jobs finished twice): {Jobs}")]
    private partial void LogOutcomesAlreadyInBooks(string shardId, int count, string jobs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Router {ShardId}: sending effects failed (attempt {Attempt}): {Error}; retrying")]
    private partial void LogDispatchRetry(string shardId, int attempt, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Router {ShardId}: a malformed {MessageType} was quarantined in the error queue: {Problem}")]
    private partial void LogQuarantined(string shardId, string messageType, string problem);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Router {ShardId}: crash requested by {Actor}")]
    private partial void LogCrashRequested(string shardId, string actor);
}
