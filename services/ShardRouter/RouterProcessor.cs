using System.Diagnostics;
using Microsoft.Extensions.Options;
using Planetary.Contracts;
using Planetary.Fabric.Effects;
using Planetary.Fabric.Hosting;
using Planetary.Fabric.Hosting.Messaging;
using Planetary.Fabric.Hosting.Redis;
using Planetary.Fabric.Hosting.Telemetry;
using Planetary.Fabric.Journal;
using Planetary.Fabric.Routing;
using StackExchange.Redis;

namespace Planetary.ShardRouter;

/// <summary>
/// The router process's single writer. It restores the state machine (latest snapshot + journal tail), then takes
/// inputs in batches: every input of a batch goes through the core, and the batch's entries and outcomes are written
/// to Redis in one transaction (group commit, write-ahead). Then the inputs are acknowledged, and then the effects
/// are sent (retried until the broker confirms them).
/// <para>
/// Acknowledging before the effects are confirmed is deliberate. Every effect is recoverable if it is lost — an
/// assignment the node never got is re-queued after the grace period, results are resent until acknowledged,
/// an unsettled transfer is sent again, load and status reports repeat, and the books hold every outcome — while
/// waiting for the broker inside a consumer deadlocks a reconnect: the broker connection cannot be rebuilt until
/// in-flight consumers finish, and they would be waiting for that very connection.
/// </para>
/// If the journal write fails, memory is ahead of Redis: the process fail-stops and the app host restarts it.
/// </summary>
public sealed partial class RouterProcessor(
    ProcessorInbox inbox,
    ProcessorReadiness readiness,
    GenesisManifest genesis,
    IOptions<FabricOptions> options,
    RouterJournal journal,
    SnapshotStore snapshots,
    ParameterStore parameters,
    EffectDispatcher dispatcher,
    RouterTelemetry telemetry,
    IConnectionMultiplexer redis,
    TimeProvider time,
    ILogger<RouterProcessor> logger) : BackgroundService, ITickSource
{
    private const int MaxBatch = 512;
    private static readonly TimeSpan DispatchGiveUp = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan SendAttemptTimeout = TimeSpan.FromSeconds(10);
    private readonly string _shardId = options.Value.ShardId ?? throw new InvalidOperationException("Fabric:ShardId is not set.");
    private readonly string _instanceId = Guid.NewGuid().ToString("N")[..12];
    private Fabric.Routing.ShardRouter _router = null!;
    private long _tick;

    /// <summary>The current tick length (owner parameter <c>routers.tickMs</c>), for the clock.</summary>
    public int TickMs { get; private set; } = 50;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await RecoverAsync(stoppingToken);
        var batch = new List<ProcessorInbox.Work>(MaxBatch);
        while (await inbox.Reader.WaitToReadAsync(stoppingToken))
        {
            batch.Clear();
            while (batch.Count < MaxBatch && inbox.Reader.TryRead(out var work))
            {
                batch.Add(work);
            }

            await CommitAsync(batch, stoppingToken);
        }
    }

    private async Task CommitAsync(List<ProcessorInbox.Work> batch, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        var combined = new RouterStep();
        try
        {
            foreach (var work in batch)
            {
                Merge(combined, Run(work));
            }
        }
        catch (Exception e)
        {
            FailStop.Now($"router {_shardId}: the state machine refused an input", e);
        }

        await JournalAsync(combined);
        foreach (var work in batch)
        {
            work.Done?.TrySetResult(); // durable now: the consumers may let RabbitMQ acknowledge
        }

        TraceJobs(combined);
        await DispatchAsync(combined.Effects, cancellationToken);
        telemetry.Committed(_router.State, combined, batch.Count, time.GetElapsedTime(started).TotalMilliseconds);
        TickMs = _router.State.Settings.TickMs;
    }

    private RouterStep Run(ProcessorInbox.Work work)
    {
        switch (work.Message)
        {
            case null:
                inbox.TickTaken();
                var step = _router.Tick(++_tick);
                if (_tick % options.Value.StatusIntervalTicks == 0)
                {
                    step.Effects.Add(new Publish(_router.StatusReport(_tick, _instanceId, Environment.ProcessId)));
                }

                return step;
            case CrashRouter crash when crash.ShardId == _shardId && (crash.InstanceId is null || crash.InstanceId == _instanceId):
                // Acknowledge first, then die: a command that kills its consumer before the broker has its ack would be
                // redelivered to every restarted instance and kill it again.
                LogCrashRequested(_shardId, crash.Actor);
                work.Done?.TrySetResult();
                _ = Task.Run(async () =>
                {
                    await Task.Delay(TimeSpan.FromSeconds(1), time);
                    FailStop.Now($"router {_shardId}: crash requested by {crash.Actor} (a drill fault)");
                });
                return new RouterStep();
            case CrashRouter:
                return new RouterStep();
            default:
                return _router.Handle(work.Message, _tick);
        }
    }

    private async Task RecoverAsync(CancellationToken cancellationToken)
    {
        var startedAtMs = time.GetUtcNow().ToUnixTimeMilliseconds();
        await genesis.EnsureStateMatchesAsync(redis);
        var latest = await snapshots.LatestAsync(_shardId);
        var state = latest is null
            ? new RouterState(_shardId, genesis.Manifest)
            : FabricJson.DeserializeSnapshot(latest.Value.Bytes).Restore(genesis.Manifest);
        var replayed = 0;
        await foreach (var (_, entries) in journal.ReadAfterAsync(_shardId, latest?.Meta.Position).WithCancellation(cancellationToken))
        {
            foreach (var entry in entries)
            {
                state.Apply(entry);
                replayed++;
            }
        }

        _router = new Fabric.Routing.ShardRouter(state);
        _tick = state.Tick;
        var step = new RouterStep();
        if (latest is not null || replayed > 0)
        {
            Merge(step, _router.Recover(_tick, latest?.Meta.Id, replayed));
        }

        var current = await parameters.CurrentAsync();
        if (current is not null && current.Version > state.ParameterVersion)
        {
            Merge(step, _router.Handle(new FabricParametersPublished(current.Version, current.Values, null, "recovery", current.ChangedAtMs), _tick));
        }

        await JournalAsync(step);
        var resumed = new RouterResumed(
            _shardId, latest is not null, latest?.Meta.Id, latest?.Meta.Tick ?? 0, latest?.Meta.Position, replayed, state.Jobs.Count, _tick,
            _instanceId, Environment.ProcessId, startedAtMs, time.GetUtcNow().ToUnixTimeMilliseconds());
        step.Effects.Add(new Publish(resumed));
        await redis.GetDatabase().ListLeftPushAsync(RedisKeys.Resumes(_shardId), System.Text.Json.JsonSerializer.Serialize(resumed));
        await redis.GetDatabase().ListTrimAsync(RedisKeys.Resumes(_shardId), 0, 99);
        await DispatchAsync(step.Effects, cancellationToken);
        TickMs = state.Settings.TickMs;
        LogRecovered(_shardId, latest?.Meta.Id ?? "(none)", replayed, state.Jobs.Count, _tick, resumed.RecoveredAtMs - startedAtMs);
        readiness.MarkReady($"router {_shardId}: restored {state.Jobs.Count} jobs from snapshot {latest?.Meta.Id ?? "(none)"} + {replayed} journal entries");
    }

    private async Task JournalAsync(RouterStep step)
    {
        try
        {
            await journal.AppendAsync(_shardId, step);
        }
        catch (Exception e)
        {
            FailStop.Now($"router {_shardId}: the journal write failed, so memory is ahead of Redis", e);
        }
    }

    /// <summary>Sends effects, retrying while the broker is away (it may be restarting); duplicates are harmless.</summary>
    private async Task DispatchAsync(IReadOnlyList<Effect> effects, CancellationToken cancellationToken)
    {
        var sent = await dispatcher.DispatchUntilConfirmedAsync(
            effects, time, SendAttemptTimeout, DispatchGiveUp, (attempt, e) => LogDispatchRetry(_shardId, attempt, e.Message), cancellationToken);
        if (!sent)
        {
            FailStop.Now($"router {_shardId}: effects could not be sent for {DispatchGiveUp.TotalMinutes} minutes");
        }
    }

    private void TraceJobs(RouterStep step)
    {
        foreach (var entry in step.Entries)
        {
            switch (entry)
            {
                case JobAccepted accepted when accepted.TraceParent is not null:
                    using (var span = JobSpans.Start(telemetry.Source, accepted.FromShard is null ? "job accepted" : "job arrived", accepted.TraceParent, accepted.JobId))
                    {
                        span?.SetTag("planetary.shard", _shardId);
                        span?.SetTag("planetary.job.template", accepted.Template);
                        span?.SetTag("planetary.job.from_shard", accepted.FromShard);
                    }

                    break;
                case JobAssigned assigned when _router.State.Jobs.TryGetValue(assigned.JobId, out var job) && job.TraceParent is not null:
                    using (var span = JobSpans.Start(telemetry.Source, "job assigned", job.TraceParent, assigned.JobId))
                    {
                        span?.SetTag("planetary.shard", _shardId);
                        span?.SetTag("planetary.node", assigned.NodeId);
                        span?.SetTag("planetary.job.attempt", assigned.Attempt);
                    }

                    break;
            }
        }

        foreach (var outcome in step.Outcomes)
        {
            using var span = JobSpans.Start(telemetry.Source, $"job {outcome.Kind.ToString().ToLowerInvariant()}", outcome.TraceParent, outcome.JobId);
            span?.SetTag("planetary.shard", _shardId);
            span?.SetTag("planetary.node", outcome.NodeId);
            span?.SetTag("planetary.job.attempts", outcome.Attempts);
            if (outcome.Kind != JobOutcomeKind.Completed)
            {
                span?.SetStatus(ActivityStatusCode.Error, outcome.Reason);
            }
        }
    }

    private static void Merge(RouterStep into, RouterStep step)
    {
        into.Entries.AddRange(step.Entries);
        into.Effects.AddRange(step.Effects);
        into.Outcomes.AddRange(step.Outcomes);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Router {ShardId} recovered from snapshot {SnapshotId} + {Replayed} journal entries: {Jobs} jobs, tick {Tick}, in {RecoveryMs} ms")]
    private partial void LogRecovered(string shardId, string snapshotId, int replayed, int jobs, long tick, long recoveryMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Router {ShardId}: sending effects failed (attempt {Attempt}): {Error}; retrying")]
    private partial void LogDispatchRetry(string shardId, int attempt, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Router {ShardId}: crash requested by {Actor}")]
    private partial void LogCrashRequested(string shardId, string actor);
}
