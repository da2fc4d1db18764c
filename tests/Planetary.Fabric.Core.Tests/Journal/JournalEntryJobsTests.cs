using Planetary.Contracts;
using Planetary.Fabric.Journal;

namespace Planetary.Fabric.Tests.Journal;

/// <summary>
/// The job index and the simulator's invariant checker follow jobs only through the entries that
/// <see cref="JournalEntryJobs"/> names, so every entry type is either listed there with its jobs or known to move none.
/// </summary>
public sealed class JournalEntryJobsTests
{
    private static readonly Dictionary<Type, (JournalEntry Entry, string[] Jobs)> Examples = new()
    {
        [typeof(JobAccepted)] = (new JobAccepted(1, "a", "t", "earth", 0, 0, 0, null), ["a"]),
        [typeof(JobRequeued)] = (new JobRequeued(1, "a", "t", "earth", 0, 1, 0, "owner"), ["a"]),
        [typeof(JobAssigned)] = (new JobAssigned(1, "a", "n", 1), ["a"]),
        [typeof(AttemptFailed)] = (new AttemptFailed(1, "a", 1, "n", AttemptFailure.NodeReported, "boom"), ["a"]),
        [typeof(AttemptWithdrawn)] = (new AttemptWithdrawn(1, "a", 1, "n", "drain"), ["a"]),
        [typeof(JobCompleted)] = (new JobCompleted(1, "a", 1, "n"), ["a"]),
        [typeof(JobFailed)] = (new JobFailed(1, "a", "attempts used"), ["a"]),
        [typeof(JobCancelled)] = (new JobCancelled(1, "a", "owner"), ["a"]),
        [typeof(JobsSentToShard)] = (new JobsSentToShard(1, "x1", "luna", TransferReason.Spillover, ["a", "b"]), ["a", "b"]),
        [typeof(TransferSettled)] = (new TransferSettled(1, "x1", ["a"], ["b"], "full"), ["a", "b"]),
    };

    /// <summary>Entries that change a job's flags or a node, a transfer, the parameters or the tombstones, never where a job is.</summary>
    private static readonly Type[] MoveNoJob =
    [
        typeof(CancelDeferred), typeof(TransferResent), typeof(TransferRefused), typeof(NodeRegistered), typeof(NodeHeartbeatReceived),
        typeof(NodeMarkedOffline), typeof(NodeDrainStarted), typeof(NodeDrained), typeof(NodeResumed), typeof(ParametersAdopted),
        typeof(TombstonesExpired), typeof(RouterRecovered),
    ];

    [Fact]
    public void Every_entry_type_is_either_listed_with_its_jobs_or_known_to_move_none()
    {
        var entryTypes = typeof(JournalEntry).Assembly.GetTypes().Where(t => t.IsSubclassOf(typeof(JournalEntry)) && !t.IsAbstract);

        Assert.Equal(
            entryTypes.Select(t => t.Name).Order(),
            Examples.Keys.Concat(MoveNoJob).Select(t => t.Name).Order());
    }

    [Fact]
    public void Each_listed_entry_gives_its_jobs()
    {
        foreach (var (type, (entry, jobs)) in Examples)
        {
            var moved = new List<string>();
            JournalEntryJobs.AppendTo(entry, moved);
            Assert.True(jobs.SequenceEqual(moved), $"{type.Name}: [{string.Join(", ", moved)}]");
        }
    }

    [Fact]
    public void An_entry_that_moves_no_job_gives_none()
    {
        var moved = new List<string>();
        JournalEntryJobs.AppendTo(new CancelDeferred(1, "a", "owner"), moved);
        JournalEntryJobs.AppendTo(new TombstonesExpired(1, 0), moved);

        Assert.Empty(moved);
    }
}
