using Planetary.Contracts;
using Planetary.Fabric.Effects;
using Planetary.Fabric.Manifest;
using Planetary.Fabric.Parameters;
using Planetary.Fabric.Routing;
using Planetary.Fabric.Validation;
using Planetary.Fabric.Runtime.Ports;

namespace Planetary.Fabric.Runtime.Routers;

/// <summary>
/// A shard router process around its core, written once for the live service and the simulator:
/// <list type="number">
/// <item><b>Start</b>: claim the shard (a new writer epoch: any older process of this shard fails its next commit),
/// rebuild the state from the latest snapshot and the journal after it (which must be continuous and end where the
/// claim says the journal ends), journal the recovery, adopt the owner's stored parameters if newer, announce what
/// was restored.</item>
/// <item><b>Process</b> a batch of work: run every input and tick through the core, make the batch's entries durable in
/// one fenced commit (with the books and timelines), acknowledge the inputs, then send the effects.</item>
/// </list>
/// A failed commit leaves memory ahead of the store, and a refused one means another process owns the shard: either
/// way the process fail-stops before acknowledging anything. Acknowledging before the effects are confirmed is
/// deliberate: every effect is recoverable if lost (see docs/architecture.md), and waiting for the broker inside a
/// consumer deadlocks a reconnect.
/// </summary>
public sealed class RouterShell(string shardId, FabricManifest genesis, RouterPorts ports, RouterShellOptions options, IRouterShellObserver? observer = null)
{
    private readonly IRouterShellObserver _observer = observer ?? NoRouterShellObserver.Instance;
    private ShardRouter? _router;
    private long _epoch;
    private long _seq;

    public string ShardId { get; } = shardId;

    /// <summary>The core, once <see cref="StartAsync"/> has restored it.</summary>
    public ShardRouter Router => _router ?? throw new InvalidOperationException($"router {ShardId} has not started");

    public bool Started => _router is not null;

    /// <summary>This process's writer epoch for its shard.</summary>
    public long Epoch => _epoch;

    /// <summary>The router's own tick count (continued from its snapshot after a restart).</summary>
    public long Tick { get; private set; }

    /// <summary>The current tick length (owner parameter <c>routers.tickMs</c>), for the live clock.</summary>
    public int TickMs => _router?.State.Settings.TickMs ?? genesis.Routers.TickMs;

    /// <summary>Claims the shard and restores the router. Throws <see cref="StateStoreUnavailableException"/> while the store is away.</summary>
    public async ValueTask<RouterResumed> StartAsync(CancellationToken cancellationToken)
    {
        var startedAt = ports.Time.GetTimestamp();
        var startedAtMs = NowMs;
        var claim = await ports.Journal.ClaimAsync(ShardId, cancellationToken);
        RebuiltRouter rebuilt;
        try
        {
            rebuilt = await RouterRecovery.RebuildAsync(ShardId, genesis, ports.Journal, ports.Snapshots, cancellationToken);
        }
        catch (JournalDiscontinuityException e)
        {
            ports.Process.FailStop($"router {ShardId}: {e.Message}", e);
            throw; // not reached
        }

        if (rebuilt.LastSeq != claim.LastSeq)
        {
            ports.Process.FailStop(
                $"router {ShardId}: the state store says commit {claim.LastSeq} was the last one acknowledged, but the journal " +
                $"and snapshots rebuild only up to commit {rebuilt.LastSeq}: acknowledged records were lost, so the state cannot be trusted. " +
                "Restore the state store from a backup, or wipe the fabric's state.");
        }

        var state = rebuilt.State;
        _epoch = claim.Epoch;
        _seq = claim.LastSeq;
        _router = new ShardRouter(state, observingSinceTick: state.Tick);
        Tick = state.Tick;

        var step = new RouterStep();
        if (rebuilt.HadHistory)
        {
            step.Append(_router.Recover(Tick, rebuilt.Snapshot?.Id, rebuilt.EntriesReplayed));
        }

        switch (await ValidStoredParameters.ReadAsync(ports.Parameters, genesis, cancellationToken))
        {
            case { IsValid: false } refused:
                ReportRefused(refused);
                break;
            case { Stored: var stored } when stored.Version > state.ParameterVersion:
                step.Append(_router.AdoptStoredParameters(stored.Version, stored.Values, Tick));
                break;
        }

        await CommitAsync(step, cancellationToken);
        var resumed = new RouterResumed(
            ShardId, rebuilt.Snapshot is not null, rebuilt.Snapshot?.Id, rebuilt.Snapshot?.Tick ?? 0, rebuilt.Snapshot?.Position.ToString(),
            rebuilt.EntriesReplayed, state.Jobs.Count, Tick, ports.Process.InstanceId, ports.Process.ProcessId, startedAtMs, NowMs);
        step.Effects.Add(new Publish(resumed));
        _observer.Recovered(resumed, _epoch, ports.Time.GetElapsedTime(startedAt));
        await DispatchAsync(step.Effects, cancellationToken);
        return resumed;
    }

    /// <summary>
    /// Runs a batch of work through the core, makes it durable in one commit, acknowledges it, sends its effects. A
    /// malformed input never reaches the core: it is rejected (quarantined with its reason) and the rest goes on.
    /// </summary>
    public async ValueTask ProcessAsync(IReadOnlyList<RouterWork> batch, CancellationToken cancellationToken)
    {
        var router = Router;
        var startedAt = ports.Time.GetTimestamp();
        var step = new RouterStep();
        CrashRouter? crash = null;
        var checkFence = false;
        var stored = await StoredParametersFor(batch, cancellationToken);
        var known = await KnownJobsFor(batch, cancellationToken);
        var failed = await OutcomesToRequeueFor(batch, cancellationToken);
        try
        {
            foreach (var work in batch)
            {
                if (work is RouterWork.Input candidate && InputValidation.ProblemWith(candidate.Message) is { } problem)
                {
                    _observer.Quarantined(candidate.Message, problem);
                    work.Ack?.Reject(problem);
                    continue;
                }

                switch (work)
                {
                    case RouterWork.Tick:
                        step.Append(router.Tick(++Tick));
                        if (Tick % options.StatusIntervalTicks == 0)
                        {
                            step.Effects.Add(new Publish(router.StatusReport(Tick, ports.Process.InstanceId, ports.Process.ProcessId)));
                            checkFence = true;
                        }

                        break;
                    case RouterWork.Input { Message: RouterInput.Parameters published }:
                        // Only the store's values are law: a published message is a nudge to look, never adopted as sent.
                        step.Append(router.Handle(new RouterInput.Parameters(published.Published with { Version = stored.Version, Values = stored.Values }), Tick));
                        break;
                    case RouterWork.Input { Message: RouterInput.Submit submit }:
                        step.Append(router.Handle(submit with { Known = known }, Tick));
                        break;
                    case RouterWork.Input { Message: RouterInput.Requeue requeue }:
                        step.Append(router.Handle(requeue with { Failed = failed }, Tick));
                        break;
                    case RouterWork.Input input:
                        step.Append(router.Handle(input.Message, Tick));
                        break;
                    case RouterWork.Crash c when c.Request.ShardId == ShardId && c.Request.InstanceId == ports.Process.InstanceId:
                        crash = c.Request;
                        break;
                    case RouterWork.Crash:
                        break; // meant for an earlier instance (a redelivery), or for nobody in particular: ignored
                }
            }
        }
        catch (Exception e)
        {
            ports.Process.FailStop($"router {ShardId}: the state machine refused an input, so its memory cannot be trusted", e);
        }

        await CommitAsync(step, cancellationToken);
        if (checkFence && step.Entries.Count == 0)
        {
            await CheckStillOwnerAsync(cancellationToken); // an idle deposed process notices without a commit
        }

        foreach (var work in batch)
        {
            work.Ack?.Acknowledge(); // durable now
        }

        _observer.Committed(router.State, step, batch.Count, ports.Time.GetElapsedTime(startedAt));
        if (crash is not null)
        {
            _observer.CrashRequested(crash);
            ports.Process.FailStop($"router {ShardId}: crash requested by {crash.Actor} (a drill fault)");
        }

        await DispatchAsync(step.Effects, cancellationToken);
    }

    /// <summary>What the fabric knows of the ids submitted in this batch (one lookup for the batch), so the core can tell a job id it must not take again.</summary>
    private ValueTask<IReadOnlyDictionary<string, KnownJob>?> KnownJobsFor(IReadOnlyList<RouterWork> batch, CancellationToken cancellationToken) =>
        LookUpAsync(
            batch,
            input => input is RouterInput.Submit { Job.Jobs: { } jobs } ? jobs.Select(j => j.JobId) : null, // enumerated once the input is known well formed
            ports.Registry.LookupAsync,
            "the job ids of a submission could not be looked up, so it cannot be answered truthfully",
            cancellationToken);

    /// <summary>The outcomes in the books of the jobs the owner asks to requeue in this batch (one lookup), so the core can tell which failed here.</summary>
    private ValueTask<IReadOnlyDictionary<string, JobOutcome>?> OutcomesToRequeueFor(IReadOnlyList<RouterWork> batch, CancellationToken cancellationToken) =>
        LookUpAsync(
            batch,
            input => input is RouterInput.Requeue { Request.JobIds: { } ids } ? ids : null,
            ports.Registry.OutcomesAsync,
            "the outcomes of jobs to requeue could not be read from the books, so the requeue cannot be judged",
            cancellationToken);

    /// <summary>
    /// One registry read for the job ids that the batch's well-formed inputs name (<paramref name="idsOf"/>: null for an
    /// input of another kind; its ids are enumerated only once the input is known well formed). Null when none names
    /// any. A failed read fail-stops: the core cannot judge those inputs without it.
    /// </summary>
    private async ValueTask<T?> LookUpAsync<T>(
        IReadOnlyList<RouterWork> batch,
        Func<RouterInput, IEnumerable<string>?> idsOf,
        Func<IReadOnlyCollection<string>, CancellationToken, ValueTask<T>> read,
        string failure,
        CancellationToken cancellationToken)
        where T : class
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var work in batch)
        {
            if (work is RouterWork.Input { Message: var input } && idsOf(input) is { } named && InputValidation.ProblemWith(input) is null)
            {
                ids.UnionWith(named);
            }
        }

        if (ids.Count == 0)
        {
            return null;
        }

        try
        {
            return await read(ids, cancellationToken);
        }
        catch (Exception e) when (e is not ProcessStoppedException)
        {
            ports.Process.FailStop($"router {ShardId}: {failure}", e);
            throw; // not reached
        }
    }

    /// <summary>The owner's parameters as stored, read once for a batch that carries a published parameter set (and only then).</summary>
    private async ValueTask<StoredParameters> StoredParametersFor(IReadOnlyList<RouterWork> batch, CancellationToken cancellationToken) =>
        batch.Any(w => w is RouterWork.Input { Message: RouterInput.Parameters })
            ? await ValidStoredParameters.ForNudgeAsync(ports.Parameters, genesis, ReportRefused, cancellationToken)
            : ValidStoredParameters.None;

    private void ReportRefused(ValidStoredParameters refused) =>
        _observer.Quarantined(new RouterInput.Parameters(new FabricParametersPublished(refused.Stored.Version, refused.Stored.Values, null, "store", 0)), refused.Problem!);

    private async ValueTask CommitAsync(RouterStep step, CancellationToken cancellationToken)
    {
        if (step.Entries.Count == 0 && step.Refusals.Count == 0)
        {
            return;
        }

        var nowMs = NowMs;
        var outcomes = step.Outcomes.Count == 0 ? [] : step.Outcomes.Select(o => o with { FinishedAtMs = nowMs }).ToArray();
        var seq = step.Entries.Count > 0 ? _seq + 1 : _seq;
        var retention = Router.State.Manifest.Jobs.RetentionSeconds;
        var index = JobIndexChanges.Of(Router.State, step, outcomes, nowMs);
        JournalAppended appended;
        try
        {
            appended = await ports.Journal.AppendAsync(
                new JournalCommit(ShardId, _epoch, seq, Tick, step.Entries, outcomes, step.Refusals, nowMs, retention, index), cancellationToken);
        }
        catch (FencedException e)
        {
            ports.Process.FailStop($"router {ShardId}: another router process owns this shard now ({e.Message}); this one stops without acknowledging anything", e);
            throw; // not reached
        }
        catch (JobIdTakenException e)
        {
            ports.Process.FailStop($"router {ShardId}: {e.Message}; this one wrote nothing and stops, and answers the submission again when it restarts", e);
            throw; // not reached
        }
        catch (Exception e)
        {
            ports.Process.FailStop($"router {ShardId}: the journal write failed, so memory is ahead of the state store", e);
            throw; // not reached
        }

        _seq = seq;
        if (appended.OutcomesAlreadyInBooks > 0)
        {
            _observer.OutcomesAlreadyInBooks(outcomes, appended.OutcomesAlreadyInBooks);
        }
    }

    private async ValueTask CheckStillOwnerAsync(CancellationToken cancellationToken)
    {
        long current;
        try
        {
            current = await ports.Journal.CurrentEpochAsync(ShardId, cancellationToken);
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            return; // the store is away: the next commit or check decides
        }

        if (current != _epoch)
        {
            ports.Process.FailStop($"router {ShardId}: another router process owns this shard now (epoch {current}, this one has {_epoch}); this one stops");
        }
    }

    /// <summary>Sends effects, retrying while the broker is away (it may be restarting); duplicates are harmless.</summary>
    private async ValueTask DispatchAsync(IReadOnlyList<Effect> effects, CancellationToken cancellationToken)
    {
        if (!await EffectDispatch.UntilTakenAsync(ports.Bus, effects, ports.Time, options.SendAttemptTimeout, options.SendGiveUpAfter, _observer.DispatchRetry, cancellationToken))
        {
            ports.Process.FailStop($"router {ShardId}: the broker took no effects for {options.SendGiveUpAfter}");
        }
    }

    private long NowMs => ports.Time.GetUtcNow().ToUnixTimeMilliseconds();
}
