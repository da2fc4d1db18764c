using Planetary.Contracts;
using Planetary.Fabric.Reporting;
using Planetary.Fabric.Routing;
using Planetary.Fabric.Runtime.Ports;
using Planetary.Fabric.Runtime.Routers;
using Planetary.Fabric.Simulation.Ports;
using static Planetary.Fabric.Simulation.Tests.Runtime.ShellHarness;

namespace Planetary.Fabric.Simulation.Tests.Runtime;

/// <summary>
/// Every commit says where each job it touched now stands (the job index that GET /api/jobs pages through), refused
/// submissions reach the timeline, and a requeue takes a failed job out of the books and back into the queue.
/// </summary>
public sealed class JobIndexTests
{
    [Fact]
    public void A_job_moves_through_the_index_as_it_is_queued_run_and_completed()
    {
        var (h, journal, router, node) = Started();
        Process(router, Submit("earth", "j1"));
        Assert.Equal(new[] { (JobStatus?)JobStatus.Queued }, journal.StatusesOf("j1"));

        Process(router, Register(node), RouterWork.Tick.Once);
        Process(router, Report(node, "j1", 1, succeeded: true));

        Assert.Equal(new JobStatus?[] { JobStatus.Queued, JobStatus.Running, JobStatus.Completed }, journal.StatusesOf("j1"));
        Assert.All(journal.Commits.SelectMany(c => c.Index).Where(e => e.JobId == "j1"), e => Assert.Equal("governance-review", e.Template));
        var orders = journal.Commits.SelectMany(c => c.Index).Where(e => e.JobId == "j1").Select(e => e.Order).ToArray();
        Assert.Equal(orders.Order(), orders); // later commits order later
        Assert.Equal(h.Clock.GetUtcNow().ToUnixTimeMilliseconds(), orders[^1] / 1000);
    }

    [Fact]
    public void A_refused_submission_is_on_the_timeline_and_in_the_index_as_rejected()
    {
        var (h, journal, router, _) = Started();
        var refused = new RouterWork.Input(
            new RouterInput.Submit(new SubmitJobs("sub-x", "earth", [new JobSubmission("j-bad", "no-such-template", 0)])), new SimulatedAck());

        Process(router, refused);

        var rejected = Assert.Single(h.Store.Timeline, e => e.JobId == "j-bad");
        Assert.Equal(JobEventKind.Rejected, rejected.Kind);
        Assert.Contains("unknown job template", rejected.Detail);
        Assert.Equal(new JobIndexEntry("j-bad", "no-such-template", JobStatus.Rejected, rejected.AtMs * 1000), Assert.Single(journal.Commits[^1].Index));
    }

    [Fact]
    public void A_requeued_job_leaves_the_books_and_rejoins_the_queue_and_the_index_and_runs_again()
    {
        var (h, journal, router, node) = Started();
        Process(router, Submit("earth", "j1"), Register(node));
        for (var attempt = 1; Run(h.Store.OutcomesAsync(["j1"], CancellationToken.None)).Count == 0; attempt++)
        {
            Process(router, RouterWork.Tick.Once);
            Process(router, Report(node, "j1", attempt, succeeded: false));
        }

        Assert.Equal(JobStatus.Failed, journal.StatusesOf("j1")[^1]);
        var requeue = new RouterWork.Input(new RouterInput.Requeue(new RequeueJobs("earth", ["j1"], "owner")), new SimulatedAck());

        Process(router, requeue);

        Assert.True(((SimulatedAck)requeue.Ack!).Acknowledged);
        Assert.Equal(JobStatus.Running, journal.StatusesOf("j1")[^1]); // back in the queue, and on the idle node in the same commit
        Assert.Empty(Run(h.Store.OutcomesAsync(["j1"], CancellationToken.None)));
        Assert.Null(Run(h.Store.LookupAsync(["j1"], CancellationToken.None))["j1"].Outcome); // unfinished again
        Assert.Equal([JobEventKind.Requeued, JobEventKind.Assigned], h.Store.Timeline.TakeLast(2).Select(e => e.Kind));
        Assert.Equal(1, router.Router.State.Jobs["j1"].AttemptsCharged); // the new attempt only
    }

    private static (ShellHarness H, RecordingJournal Journal, RouterShell Router, string Node) Started()
    {
        var h = new ShellHarness();
        var journal = new RecordingJournal(h.Store);
        var router = h.Router(journal);
        Run(router.StartAsync(CancellationToken.None));
        var template = Genesis.FindTemplate("governance-review")!;
        var node = Genesis.Nodes.First(n => n.Shard == "earth" && template.Capabilities.All(n.Capabilities.Contains));
        return (h, journal, router, node.Id);
    }

    private static RouterWork.Input Register(string node)
    {
        var spec = Genesis.FindNode(node)!;
        return new(new RouterInput.Registration(new RegisterNode("earth", node, spec.Capabilities, spec.Concurrency, 1, 0)), new SimulatedAck());
    }

    private static RouterWork.Input Report(string node, string jobId, int attempt, bool succeeded) =>
        new(new RouterInput.Results(new ReportJobResults("earth", node, [new JobResult(jobId, attempt, succeeded, succeeded ? null : "boom")])), new SimulatedAck());

    /// <summary>The store's journal, keeping every commit it was handed.</summary>
    internal sealed class RecordingJournal(IJournalStore inner) : IJournalStore
    {
        public List<JournalCommit> Commits { get; } = [];

        public JobStatus?[] StatusesOf(string jobId) => Commits.SelectMany(c => c.Index).Where(e => e.JobId == jobId).Select(e => e.Status).ToArray();

        public ValueTask<WriterClaim> ClaimAsync(string shardId, CancellationToken cancellationToken) => inner.ClaimAsync(shardId, cancellationToken);

        public ValueTask<long> CurrentEpochAsync(string shardId, CancellationToken cancellationToken) => inner.CurrentEpochAsync(shardId, cancellationToken);

        public ValueTask<JournalAppended> AppendAsync(JournalCommit commit, CancellationToken cancellationToken)
        {
            Commits.Add(commit);
            return inner.AppendAsync(commit, cancellationToken);
        }

        public IAsyncEnumerable<JournalRecord> ReadAfterAsync(string shardId, JournalPosition? after, CancellationToken cancellationToken) =>
            inner.ReadAfterAsync(shardId, after, cancellationToken);
    }
}
