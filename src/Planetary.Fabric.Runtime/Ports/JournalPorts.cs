using Planetary.Contracts;
using Planetary.Fabric.Journal;
using Planetary.Fabric.Reporting;

namespace Planetary.Fabric.Runtime.Ports;

/// <summary>
/// Where one journal record sits: <see cref="Seq"/> is its commit number (1, 2, 3, … with no gaps: the journal's
/// continuity is checked by it), <see cref="Id"/> the store's own address of the record (a Redis stream id live).
/// </summary>
public readonly record struct JournalPosition(long Seq, string Id)
{
    public override string ToString() => $"{Seq}@{Id}";
}

/// <summary>One record of a shard's journal: the entries of one commit, written by the writer of epoch <see cref="Epoch"/>.</summary>
public sealed record JournalRecord(JournalPosition Position, long Epoch, IReadOnlyList<JournalEntry> Entries);

/// <summary>A writer's claim on a shard's journal: its epoch, and the last commit number the journal had when it claimed.</summary>
public readonly record struct WriterClaim(long Epoch, long LastSeq);

/// <summary>
/// One durable step of a router, written in one atomic step that first checks that <see cref="Epoch"/> is still the
/// shard's current writer and that <see cref="Seq"/> follows the journal's last commit: its journal entries (when there
/// are any: a step that only refused submissions writes no journal record and takes no commit number), the job ids it
/// newly took (which must not belong to another shard), the final outcomes for the books, and the jobs' timeline events
/// (derived from the entries and refusals, stamped <see cref="AtMs"/>). A finished job's outcome, timeline and id are
/// kept <see cref="RetentionSeconds"/>; an unfinished job's for as long as it is unfinished.
/// </summary>
public sealed record JournalCommit(
    string ShardId,
    long Epoch,
    long Seq,
    long Tick,
    IReadOnlyList<JournalEntry> Entries,
    IReadOnlyList<JobOutcome> Outcomes,
    IReadOnlyList<JobRejection> Refusals,
    long AtMs,
    long RetentionSeconds,
    IReadOnlyList<JobIndexEntry>? Index = null)
{
    /// <summary>Where each job this commit touched now stands on this shard, for the job index (see <see cref="JobIndexEntry"/>).</summary>
    public IReadOnlyList<JobIndexEntry> Index { get; } = Index ?? [];

    /// <summary>Ids of failed jobs this commit puts back in the queue: their outcome leaves the books, their id is kept again while they are unfinished.</summary>
    public IEnumerable<string> RequeuedJobIds => Entries.OfType<JobRequeued>().Select(e => e.JobId);

    /// <summary>Ids of jobs this commit takes from a submission (each must be new to the fabric, or already this shard's).</summary>
    public IEnumerable<string> SubmittedJobIds =>
        Entries.OfType<JobAccepted>().Where(e => e.FromShard is null).Select(e => e.JobId);

    /// <summary>The job events this commit stands for (what a job's timeline shows).</summary>
    public List<TimelineEvent> TimelineEvents()
    {
        var events = new List<TimelineEvent>();
        foreach (var entry in Entries)
        {
            JournalTimeline.Append(ShardId, entry, events);
        }

        foreach (var refusal in Refusals.Where(r => r.Kind != RefusalKind.IdTaken)) // an id taken elsewhere is that other job's
        {
            events.Add(new TimelineEvent(Tick, refusal.JobId, JobEventKind.Rejected, ShardId, null, 0, refusal.Reason));
        }

        for (var i = 0; i < events.Count; i++)
        {
            events[i] = events[i] with { AtMs = AtMs };
        }

        return events;
    }

    /// <summary>Whether a job's timeline ends in this commit (it finished, or was refused): then it is kept only for the retention.</summary>
    public bool EndsTimelineOf(string jobId) =>
        Outcomes.Any(o => o.JobId == jobId) || (Refusals.Any(r => r.JobId == jobId) && !SubmittedJobIds.Contains(jobId, StringComparer.Ordinal));
}

/// <summary>
/// An id in a commit already names a job submitted to another shard (two shards took the same new id at once): the
/// commit wrote nothing, and the writer must stop (its memory took the job) and answer the submission again on restart.
/// </summary>
public sealed class JobIdTakenException(string jobId, string owner)
    : Exception($"job id '{jobId}' was taken by shard {owner} at the same moment")
{
    public string JobId { get; } = jobId;

    public string Owner { get; } = owner;
}

/// <summary>What the fabric knows of job ids: the shard each was submitted to, and its outcome once it has one.</summary>
public interface IJobRegistry
{
    /// <summary>The known jobs among these ids; ids never taken, or whose retention has passed, are absent.</summary>
    ValueTask<IReadOnlyDictionary<string, KnownJob>> LookupAsync(IReadOnlyCollection<string> jobIds, CancellationToken cancellationToken);

    /// <summary>The outcomes the books hold for these ids (unfinished jobs, and those whose retention has passed, are absent).</summary>
    ValueTask<IReadOnlyDictionary<string, JobOutcome>> OutcomesAsync(IReadOnlyCollection<string> jobIds, CancellationToken cancellationToken);
}

/// <summary>
/// A job's place in the job index after a commit: on shard <c>JournalCommit.ShardId</c>, of <paramref name="Template"/>,
/// with <paramref name="Status"/>. Null status: it is no longer this shard's (an ally took it). <paramref name="Order"/> orders the index (newest first): the commit's
/// wall-clock time in milliseconds × 1000 plus the job's place in the commit.
/// </summary>
public readonly record struct JobIndexEntry(string JobId, string Template, JobStatus? Status, long Order);

/// <summary>What an append did: where the record went, and how many outcomes the books already had (each is a job finished twice).</summary>
public readonly record struct JournalAppended(JournalPosition Position, int OutcomesAlreadyInBooks);

/// <summary>
/// A shard's write-ahead journal, with the books and timelines that are written in the same atomic step.
/// Single writer per shard, fenced: <see cref="ClaimAsync"/> takes a new epoch, and every append checks it.
/// </summary>
public interface IJournalStore
{
    /// <summary>Takes the writer role of a shard: a new epoch, higher than any before. Older writers' appends fail from now on.</summary>
    ValueTask<WriterClaim> ClaimAsync(string shardId, CancellationToken cancellationToken);

    /// <summary>The shard's current writer epoch (0 if never claimed).</summary>
    ValueTask<long> CurrentEpochAsync(string shardId, CancellationToken cancellationToken);

    /// <summary>
    /// Appends one commit atomically (journal record, books, timelines). Throws <see cref="FencedException"/> if the
    /// epoch is no longer current, <see cref="JournalGapException"/> if the sequence does not follow; anything else
    /// (the store is away, a timeout) leaves the outcome unknown.
    /// </summary>
    ValueTask<JournalAppended> AppendAsync(JournalCommit commit, CancellationToken cancellationToken);

    /// <summary>The records after a position (exclusive; null = from the start), oldest first.</summary>
    IAsyncEnumerable<JournalRecord> ReadAfterAsync(string shardId, JournalPosition? after, CancellationToken cancellationToken);
}

/// <summary>A writer whose epoch has been superseded tried to write: it must stop at once (a newer writer owns the shard).</summary>
public sealed class FencedException(string resource, long epoch, long currentEpoch)
    : Exception($"{resource}: writer epoch {epoch} was superseded by epoch {currentEpoch}; another process owns it now")
{
    public string Resource { get; } = resource;

    public long Epoch { get; } = epoch;

    public long CurrentEpoch { get; } = currentEpoch;
}

/// <summary>An append whose sequence number does not follow the journal's last commit (a defect, or a store that lost records).</summary>
public sealed class JournalGapException(string shardId, long expected, long found)
    : Exception($"journal of {shardId}: commit {expected} does not follow the last commit {found}")
{
    public long Expected { get; } = expected;

    public long Found { get; } = found;
}

/// <summary>The state store (Redis) cannot be reached right now; the caller waits and tries again.</summary>
public sealed class StateStoreUnavailableException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>The broker (RabbitMQ) did not take a message right now; the caller waits and tries again.</summary>
public sealed class BrokerUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
