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
/// One durable step of a router: its journal entries and the final outcomes for the books (and, derived from the
/// entries, the jobs' timeline events, stamped <see cref="AtMs"/>), written in one atomic step that first checks that
/// <see cref="Epoch"/> is still the shard's current writer and that <see cref="Seq"/> follows the journal's last commit.
/// </summary>
public sealed record JournalCommit(
    string ShardId,
    long Epoch,
    long Seq,
    IReadOnlyList<JournalEntry> Entries,
    IReadOnlyList<JobOutcome> Outcomes,
    long AtMs)
{
    /// <summary>The job events this commit stands for (what a job's timeline shows).</summary>
    public List<TimelineEvent> TimelineEvents()
    {
        var events = new List<TimelineEvent>();
        foreach (var entry in Entries)
        {
            JournalTimeline.Append(ShardId, entry, events);
        }

        for (var i = 0; i < events.Count; i++)
        {
            events[i] = events[i] with { AtMs = AtMs };
        }

        return events;
    }
}

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
