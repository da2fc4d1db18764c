using System.Collections.Concurrent;
using Planetary.Fabric.Chaos;
using Planetary.Fabric.Reporting;

namespace Planetary.Fabric.Runtime.Chaos;

/// <summary>A finished chaos run: what happened, the checker's verdict, and how long it all took.</summary>
public sealed record ChaosResult(ChaosHistory History, ChaosVerdict Verdict, TimeSpan Wall);

/// <summary>
/// Runs a live nemesis against a fleet: a steady seeded workload (with duplicate submits and cancels) while the
/// plan's faults strike one after another (for the run's duration, and at least once of each kind), each followed by probes that measure how long until every shard serves
/// again; then waits for every job taken to finish, reads them all back and hands the history to
/// <see cref="ChaosChecker"/>. Calls the fleet does not answer are tried again (a retried submit that finds its jobs
/// known means they were taken by the try that lost its answer).
/// </summary>
public sealed class ChaosEngine(IChaosFleet fleet, TimeProvider time, Action<string> log)
{
    private readonly ConcurrentQueue<ChaosSubmission> _submissions = new();
    private readonly ConcurrentQueue<ChaosDuplicate> _duplicates = new();
    private readonly ConcurrentQueue<string> _cancels = new();
    private readonly List<ChaosFaultRecord> _faults = [];
    private int _waiting;
    private TimeSpan _retryInterval = TimeSpan.FromSeconds(1);

    public async Task<ChaosResult> RunAsync(ChaosOptions options, CancellationToken cancellationToken)
    {
        var begun = time.GetTimestamp();
        _retryInterval = options.RetryInterval;
        var plan = new ChaosPlan(options.Seed, options.Kinds, options.Plan);
        var workload = new ChaosWorkload(options.Seed, options.RunId, options.TemplatesByShard, options.Workload);
        var startedAt = Now();

        using var stopWorkload = new CancellationTokenSource();
        var stream = Task.Run(() => StreamAsync(workload, options, stopWorkload.Token, cancellationToken), CancellationToken.None);
        try
        {
            // Faults for the run's duration, and every kind once however short it is. A stream that ended has failed: stop.
            bool More() => (plan.InFirstRound || Now() - startedAt < options.Duration.TotalMilliseconds) && !stream.IsCompleted;
            while (More())
            {
                var fault = plan.Next();
                await Task.Delay(TimeSpan.FromMilliseconds(fault.GapMs), time, cancellationToken);

                await StrikeAsync(fault, workload, options, cancellationToken);
            }
        }
        finally
        {
            await stopWorkload.CancelAsync();
            await stream;
        }

        log($"faults over after {(Now() - startedAt) / 1000.0:F0} s: {_faults.Count} injected; waiting for every job taken to finish");
        var taken = _submissions.Where(s => s.Admission is ChaosAdmission.Taken or ChaosAdmission.Pending).Select(s => s.JobId).ToArray();
        var drainDeadline = Now() + (long)options.DrainDeadline.TotalMilliseconds;
        await DrainAsync(taken, drainDeadline, options, cancellationToken);

        // The read-back gets the drain's time again; a job the fleet never answered for stays unread (and counts as lost).
        using var readBack = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        readBack.CancelAfter(options.DrainDeadline);
        var jobs = await LookUpAllAsync(_submissions.Select(s => s.JobId).Distinct(StringComparer.Ordinal).ToArray(), options, readBack.Token);
        var unread = jobs.Values.Count(j => j.Status is null);
        if (readBack.IsCancellationRequested)
        {
            log($"the fleet did not answer for every job within {options.DrainDeadline.TotalSeconds:F0} s: {unread} job(s) read as unknown");
        }

        var history = new ChaosHistory(_submissions.ToArray(), _duplicates.ToArray(), _cancels.ToArray(), jobs, _faults.ToArray());
        return new ChaosResult(history, ChaosChecker.Check(history, plan.Kinds), time.GetElapsedTime(begun));
    }

    private async Task StrikeAsync(ChaosFault fault, ChaosWorkload workload, ChaosOptions options, CancellationToken cancellationToken)
    {
        var kind = ChaosFaultNames.Of(fault.Kind);
        var injectedAt = Now();
        ChaosInjection injection;
        try
        {
            injection = await fleet.InjectAsync(fault, cancellationToken);
        }
        catch (ChaosFleetUnavailableException e)
        {
            injection = new ChaosInjection(false, "-", e.Message);
        }

        if (!injection.Injected)
        {
            log($"fault {fault.Index}: {kind} skipped: {injection.Description}");
            return;
        }

        log($"fault {fault.Index}: {kind} of {injection.Target}: {injection.Description}");
        var recovered = await ProbeAsync(workload, injectedAt, options, cancellationToken);
        _faults.Add(new ChaosFaultRecord(fault, injection.Target, injection.Description, injectedAt, recovered));
        log(recovered is { } ms
            ? $"fault {fault.Index}: every shard serves again {ms / 1000.0:F1} s after the {kind}"
            : $"fault {fault.Index}: the fleet did not serve again within {options.RecoveryDeadline.TotalSeconds:F0} s of the {kind}");
    }

    /// <summary>One probe job per shard, again until each completes: the time from the fault until they all have, or null at the deadline.</summary>
    private async Task<long?> ProbeAsync(ChaosWorkload workload, long injectedAt, ChaosOptions options, CancellationToken cancellationToken)
    {
        var deadline = injectedAt + (long)options.RecoveryDeadline.TotalMilliseconds;
        var serving = new HashSet<string>(StringComparer.Ordinal);
        var probes = new Dictionary<string, string>(StringComparer.Ordinal);

        // The deadline also ends calls the fleet never answers (a fleet that is stuck is what this measures).
        using var recovery = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        recovery.CancelAfter(TimeSpan.FromMilliseconds(Math.Max(0, deadline - Now())));
        while (serving.Count < workload.Shards.Count)
        {
            if (recovery.IsCancellationRequested)
            {
                cancellationToken.ThrowIfCancellationRequested();
                foreach (var shard in workload.Shards.Where(s => !serving.Contains(s)))
                {
                    log($"  {shard} did not serve: {await DescribeProbeAsync(probes.GetValueOrDefault(shard), cancellationToken)}");
                }

                return null;
            }

            foreach (var shard in workload.Shards.Where(s => !serving.Contains(s)))
            {
                if (!probes.TryGetValue(shard, out var probe))
                {
                    var job = new ChaosJob(workload.NewId("probe-"), workload.ProbeTemplate(shard));
                    var answer = await SubmitAsync(shard, [job], options, recovery.Token);
                    if (answer is null)
                    {
                        continue;
                    }

                    if (answer[0].Admission is ChaosAdmission.Taken or ChaosAdmission.Pending)
                    {
                        probes[shard] = job.JobId;
                    }

                    continue;
                }

                var state = await TryAsync(token => fleet.LookUpAsync(probe, token), recovery.Token);
                switch (state?.Status)
                {
                    case JobStatus.Completed:
                        serving.Add(shard);
                        break;
                    case JobStatus.Failed or JobStatus.Cancelled or JobStatus.Rejected:
                        probes.Remove(shard); // served, but not this probe: send another
                        break;
                }
            }

            if (serving.Count < workload.Shards.Count)
            {
                try
                {
                    await Task.Delay(options.ProbeInterval, time, recovery.Token);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                }
            }
        }

        return Now() - injectedAt;
    }

    /// <summary>Where a probe got to, in words (asked with a short deadline: the fleet may be the thing that is stuck).</summary>
    private async Task<string> DescribeProbeAsync(string? probe, CancellationToken cancellationToken)
    {
        if (probe is null)
        {
            return "no probe of it was taken";
        }

        using var look = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        look.CancelAfter(TimeSpan.FromSeconds(10));
        var state = await TryAsync(token => fleet.LookUpAsync(probe, token), look.Token);
        if (state is null)
        {
            return $"probe {probe}: the fleet did not answer";
        }

        var path = string.Join(" → ", state.Timeline.Select(e => $"{JobEventNames.Of(e.Kind)}@{e.Shard}{(e.Node is null ? "" : "/" + e.Node)}"));
        return $"probe {probe} is {(state.Status is { } status ? JobStatusNames.Of(status) : "unknown")}{(path.Length > 0 ? " after " + path : string.Empty)}";
    }

    /// <summary>
    /// The workload until <paramref name="stop"/>: a step's calls run to their answer even after the stop (a batch whose
    /// answer was lost is submitted again until the engine knows what became of it), only <paramref name="abort"/> ends them.
    /// </summary>
    private async Task StreamAsync(ChaosWorkload workload, ChaosOptions options, CancellationToken stop, CancellationToken abort)
    {
        while (!stop.IsCancellationRequested)
        {
            foreach (var work in workload.Next())
            {
                switch (work)
                {
                    case ChaosWork.Submit submit:
                        await SubmitAsync(submit.Shard, submit.Jobs, options, abort);
                        break;
                    case ChaosWork.Resubmit again:
                        var answer = await SubmitAsync(again.Shard, [again.Job], options, abort, record: false);
                        if (answer is not null)
                        {
                            _duplicates.Enqueue(new ChaosDuplicate(again.Job.JobId, again.Shard, again.OtherShard, answer[0].Admission));
                        }

                        break;
                    case ChaosWork.Cancel cancel:
                        if (await TryAsync(token => fleet.CancelAsync(cancel.JobId, token), abort) is { Requested: true })
                        {
                            _cancels.Enqueue(cancel.JobId);
                        }

                        break;
                }
            }

            try
            {
                await Task.Delay(options.StepInterval, time, stop);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
            }
        }
    }

    /// <summary>
    /// Submits until the fleet answers (null when stopped first). A job a retry finds known was taken by the try whose
    /// answer was lost, so it counts as taken.
    /// </summary>
    private async Task<IReadOnlyList<ChaosSubmission>?> SubmitAsync(
        string shard, IReadOnlyList<ChaosJob> jobs, ChaosOptions options, CancellationToken cancellationToken, bool record = true)
    {
        var tries = 0;
        var answer = await TryAsync(token =>
        {
            tries++;
            return fleet.SubmitAsync(shard, jobs, token);
        }, cancellationToken);
        if (answer is null)
        {
            return null;
        }

        if (tries > 1 && record)
        {
            answer = answer.Select(s => s.Admission == ChaosAdmission.Known ? s with { Admission = ChaosAdmission.Taken } : s).ToArray();
        }

        if (record)
        {
            foreach (var submission in answer)
            {
                _submissions.Enqueue(submission);
            }
        }

        return answer;
    }

    private async Task DrainAsync(IReadOnlyCollection<string> taken, long deadline, ChaosOptions options, CancellationToken cancellationToken)
    {
        var open = new HashSet<string>(taken, StringComparer.Ordinal);
        var lastLog = Now();
        using var drain = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        drain.CancelAfter(TimeSpan.FromMilliseconds(Math.Max(0, deadline - Now())));
        while (open.Count > 0 && !drain.IsCancellationRequested)
        {
            var states = await LookUpAllAsync(open.ToArray(), options, drain.Token);
            open.RemoveWhere(id => states[id].Status is { } status && status.IsFinal());
            if (open.Count == 0)
            {
                break;
            }

            if (Now() - lastLog > 10_000)
            {
                log($"{open.Count} of {taken.Count} jobs not finished yet");
                lastLog = Now();
            }

            try
            {
                await Task.Delay(TimeSpan.FromSeconds(1), time, drain.Token);
            }
            catch (OperationCanceledException) when (drain.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
            }
        }

        log(open.Count == 0 ? $"all {taken.Count} jobs taken have finished" : $"{open.Count} of {taken.Count} jobs still not finished after {options.DrainDeadline.TotalSeconds:F0} s");
    }

    private async Task<IReadOnlyDictionary<string, ChaosJobState>> LookUpAllAsync(IReadOnlyList<string> ids, ChaosOptions options, CancellationToken cancellationToken)
    {
        var states = new ConcurrentDictionary<string, ChaosJobState>(StringComparer.Ordinal);
        await Parallel.ForEachAsync(ids, new ParallelOptions { MaxDegreeOfParallelism = options.LookupConcurrency }, async (id, _) =>
        {
            // Stopped (a deadline): unread, which the checker counts as unknown.
            states[id] = (cancellationToken.IsCancellationRequested ? null : await TryAsync(t => fleet.LookUpAsync(id, t), cancellationToken))
                ?? new ChaosJobState(id, null, []);
        });
        return states;
    }

    /// <summary>Calls until the fleet answers; null when <paramref name="cancellationToken"/> stops it first.</summary>
    private async Task<T?> TryAsync<T>(Func<CancellationToken, ValueTask<T>> call, CancellationToken cancellationToken)
        where T : class
    {
        while (true)
        {
            try
            {
                var answer = await call(cancellationToken);
                if (Interlocked.Exchange(ref _waiting, 0) == 1)
                {
                    log("the fleet answers again");
                }

                return answer;
            }
            catch (ChaosFleetUnavailableException e)
            {
                if (Interlocked.Exchange(ref _waiting, 1) == 0)
                {
                    log($"waiting for the fleet: {e.Message}");
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return null;
            }

            try
            {
                await Task.Delay(_retryInterval, time, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return null;
            }
        }
    }

    private long Now() => time.GetUtcNow().ToUnixTimeMilliseconds();
}
