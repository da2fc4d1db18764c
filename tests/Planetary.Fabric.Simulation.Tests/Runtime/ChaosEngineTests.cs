using System.Collections.Concurrent;
using Planetary.Fabric.Chaos;
using Planetary.Fabric.Reporting;
using Planetary.Fabric.Runtime.Chaos;

namespace Planetary.Fabric.Simulation.Tests.Runtime;

/// <summary>
/// The chaos engine against an in-memory fleet that loses answers, forgets jobs or never recovers: the engine retries
/// what was not answered, counts a retried submit that finds its jobs known as taken, and the checker fires.
/// </summary>
public sealed class ChaosEngineTests
{
    private static ChaosOptions Options(params ChaosFaultKind[] kinds) =>
        new(TimeSpan.FromMilliseconds(600), 5, "test", kinds.Length == 0 ? ChaosFaultNames.All : kinds,
            new Dictionary<string, IReadOnlyList<string>> { ["earth"] = ["quick", "slow"], ["luna"] = ["quick"] })
        {
            StepInterval = TimeSpan.FromMilliseconds(5),
            RetryInterval = TimeSpan.FromMilliseconds(1),
            ProbeInterval = TimeSpan.FromMilliseconds(2),
            // Generous: these run on the wall clock next to CPU-bound tests; only the tests that expect them to pass shorten them.
            RecoveryDeadline = TimeSpan.FromSeconds(10),
            DrainDeadline = TimeSpan.FromSeconds(10),
            Plan = new ChaosPlanOptions(MinGapMs: 1, MaxGapMs: 3, MinPauseMs: 1, MaxPauseMs: 2),
            Workload = new ChaosWorkloadOptions(BatchSize: 3, DuplicateChance: 0.3, CancelChance: 0.2),
        };

    [Fact]
    public async Task A_fleet_that_loses_answers_keeps_every_guarantee_and_every_fault_kind_strikes()
    {
        var fleet = new InMemoryChaosFleet { LoseEveryNthAnswer = 4 };
        var lines = new ConcurrentQueue<string>();

        var result = await new ChaosEngine(fleet, TimeProvider.System, lines.Enqueue).RunAsync(Options(), CancellationToken.None);

        Assert.True(result.Verdict.Holds, string.Join("\n", result.Verdict.Lines()));
        Assert.All(result.Verdict.Recoveries, r => Assert.True(r.Injected >= 1, $"{r.Kind} never struck"));
        Assert.Equal(fleet.Taken.Count, result.Verdict.Submitted);
        Assert.True(fleet.AnswersLost > 0);
        Assert.Contains(result.History.Duplicates, d => d.Admission == ChaosAdmission.Known);
        Assert.NotEmpty(result.History.CancelsRequested);
        Assert.Contains(lines, l => l.StartsWith("waiting for the fleet", StringComparison.Ordinal));
        Assert.Contains(lines, l => l == "the fleet answers again");
    }

    [Fact]
    public async Task Every_kind_strikes_once_however_short_the_run_and_no_more_after_it()
    {
        var result = await new ChaosEngine(new InMemoryChaosFleet(), TimeProvider.System, _ => { })
            .RunAsync(Options() with { Duration = TimeSpan.Zero }, CancellationToken.None);

        Assert.True(result.Verdict.Holds, string.Join("\n", result.Verdict.Lines()));
        Assert.Equal(ChaosFaultNames.All.Order(), result.History.Faults.Select(f => f.Fault.Kind).Order());
    }

    [Fact]
    public async Task A_fleet_that_forgets_a_job_it_took_is_caught()
    {
        var fleet = new InMemoryChaosFleet { ForgetJob = 7 };

        var result = await new ChaosEngine(fleet, TimeProvider.System, _ => { })
            .RunAsync(Options(ChaosFaultKind.KillService) with { DrainDeadline = TimeSpan.FromMilliseconds(500) }, CancellationToken.None);

        Assert.False(result.Verdict.Holds);
        Assert.Equal(1, result.Verdict.Lost);
    }

    [Fact]
    public async Task A_fleet_that_runs_a_job_twice_is_caught()
    {
        var fleet = new InMemoryChaosFleet { CompleteTwice = 3 };

        var result = await new ChaosEngine(fleet, TimeProvider.System, _ => { }).RunAsync(Options(ChaosFaultKind.KillService), CancellationToken.None);

        Assert.False(result.Verdict.Holds);
        Assert.Equal(1, result.Verdict.CompletedTwice);
    }

    [Fact]
    public async Task A_fleet_that_stops_serving_after_a_fault_is_caught()
    {
        var fleet = new InMemoryChaosFleet { StopServingAfterFault = true };

        var result = await new ChaosEngine(fleet, TimeProvider.System, _ => { })
            .RunAsync(Options(ChaosFaultKind.KillBroker) with { RecoveryDeadline = TimeSpan.FromMilliseconds(800) }, CancellationToken.None);

        Assert.False(result.Verdict.Holds);
        Assert.Contains(result.Verdict.Violations, v => v.Contains("did not serve again", StringComparison.Ordinal));
    }

    /// <summary>A fleet in memory: every job it takes completes at once, unless told to misbehave.</summary>
    private sealed class InMemoryChaosFleet : IChaosFleet
    {
        private readonly ConcurrentDictionary<string, string> _taken = new(StringComparer.Ordinal);
        private int _answers;
        private int _taking;
        private volatile bool _stopped;

        public int LoseEveryNthAnswer { get; init; }

        /// <summary>The n-th job taken is not known at the end.</summary>
        public int ForgetJob { get; init; } = -1;

        /// <summary>The n-th job taken completes twice.</summary>
        public int CompleteTwice { get; init; } = -1;

        public bool StopServingAfterFault { get; init; }

        public IReadOnlyDictionary<string, string> Taken => _taken;

        public int AnswersLost { get; private set; }

        private readonly ConcurrentDictionary<string, int> _order = new(StringComparer.Ordinal);

        public ValueTask<IReadOnlyList<ChaosSubmission>> SubmitAsync(string shard, IReadOnlyList<ChaosJob> jobs, CancellationToken cancellationToken)
        {
            var answer = jobs.Select(j =>
            {
                if (_stopped && j.JobId.Contains("probe", StringComparison.Ordinal))
                {
                    return new ChaosSubmission(j.JobId, shard, ChaosAdmission.Refused);
                }

                if (_taken.TryGetValue(j.JobId, out var holder))
                {
                    return new ChaosSubmission(j.JobId, shard, holder == shard ? ChaosAdmission.Known : ChaosAdmission.Refused);
                }

                _taken[j.JobId] = shard;
                _order[j.JobId] = Interlocked.Increment(ref _taking);
                return new ChaosSubmission(j.JobId, shard, ChaosAdmission.Taken);
            }).ToArray();

            if (LoseEveryNthAnswer > 0 && Interlocked.Increment(ref _answers) % LoseEveryNthAnswer == 0)
            {
                AnswersLost++;
                throw new ChaosFleetUnavailableException("the answer was lost");
            }

            return ValueTask.FromResult<IReadOnlyList<ChaosSubmission>>(answer);
        }

        public ValueTask<ChaosCancelAnswer> CancelAsync(string jobId, CancellationToken cancellationToken) => ValueTask.FromResult(new ChaosCancelAnswer(true));

        public ValueTask<ChaosJobState> LookUpAsync(string jobId, CancellationToken cancellationToken)
        {
            if (!_taken.TryGetValue(jobId, out var shard) || _order[jobId] == ForgetJob)
            {
                return ValueTask.FromResult(new ChaosJobState(jobId, null, []));
            }

            var events = new List<ChaosJobEvent> { new(JobEventKind.Accepted, shard, null, 0), new(JobEventKind.Assigned, shard, "N1", 1), new(JobEventKind.Completed, shard, "N1", 1) };
            if (_order[jobId] == CompleteTwice)
            {
                events.Add(new ChaosJobEvent(JobEventKind.Completed, shard, "N1", 1));
            }

            return ValueTask.FromResult(new ChaosJobState(jobId, JobStatus.Completed, events));
        }

        public ValueTask<ChaosInjection> InjectAsync(ChaosFault fault, CancellationToken cancellationToken)
        {
            _stopped = StopServingAfterFault;
            return ValueTask.FromResult(new ChaosInjection(true, "router-earth", $"{ChaosFaultNames.Of(fault.Kind)} in memory"));
        }
    }
}
