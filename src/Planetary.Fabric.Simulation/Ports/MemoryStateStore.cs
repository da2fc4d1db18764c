using System.Globalization;
using Planetary.Contracts;
using Planetary.Fabric.Reporting;
using Planetary.Fabric.Runtime.Ports;

namespace Planetary.Fabric.Simulation.Ports;

/// <summary>
/// The simulator's Redis: every shard's journal with its fencing record, the snapshots, the books, the owner's
/// parameters, checkpoint records and (optionally) job timelines, held in memory. Like Redis with
/// <c>appendfsync always</c>, what a call acknowledged survives a restart of the store; while the store is down every
/// call fails, and a restart can hit in the middle of a commit (applied, but the reply lost).
/// </summary>
public sealed class MemoryStateStore(bool recordTimeline, TimeProvider time) : IJournalStore, ISnapshotStore, IParameterSource, IJobRegistry
{
    private readonly Dictionary<string, ShardJournal> _journals = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<StoredSnapshot>> _snapshots = new(StringComparer.Ordinal);
    private readonly Dictionary<string, JobOutcome> _books = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (string Shard, long ExpiresAtMs)> _jobIds = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _outcomeExpiresAtMs = new(StringComparer.Ordinal);
    private readonly List<CheckpointRecord> _checkpoints = [];
    private readonly List<string> _finishedSince = [];
    private readonly ChunkedList<TimelineEvent> _timeline = new();
    private long _checkpointerEpoch;
    private StoredParameters? _parameters;
    private long _now;
    private long _downUntilTick = -1;
    private (long UntilTick, bool Applied)? _crashAtNextAppend;

    /// <summary>Called with every record once it is durable (the simulation folds them into its picture of durable state).</summary>
    public event Action<string, JournalRecord>? Appended;

    /// <summary>Every outcome ever written (the simulator's record; what the store still keeps is <see cref="KeptOutcomes"/>).</summary>
    public IReadOnlyDictionary<string, JobOutcome> Books => _books;

    /// <summary>Outcomes the store keeps <paramref name="later"/> from now (default: now), when nothing else is written.</summary>
    public int KeptOutcomes(TimeSpan later = default) => _outcomeExpiresAtMs.Count(e => e.Value > NowMs + (long)later.TotalMilliseconds);

    /// <summary>Job ids the store knows <paramref name="later"/> from now (unfinished, or finished within the retention then).</summary>
    public int KeptJobIds(TimeSpan later = default) => _jobIds.Count(e => e.Value.ExpiresAtMs > NowMs + (long)later.TotalMilliseconds);

    /// <summary>Journal records of every shard, as the checkpoints have trimmed them.</summary>
    public long JournalRecords => _journals.Values.Sum(j => (long)j.Records.Count);

    /// <summary>Snapshots kept, every shard, with their total size.</summary>
    public (int Count, long Bytes) SnapshotsKept => (_snapshots.Values.Sum(l => l.Count), _snapshots.Values.Sum(l => l.Sum(s => (long)s.Bytes.Length)));

    public IReadOnlyList<CheckpointRecord> Checkpoints => _checkpoints;

    /// <summary>Adds the ids the books took an outcome for since the previous call (for the drill, which follows its jobs in the books).</summary>
    public void TakeFinishedSince(List<string> into)
    {
        into.AddRange(_finishedSince);
        _finishedSince.Clear();
    }

    public IReadOnlyList<TimelineEvent> Timeline => _timeline;

    public bool IsDown => _now < _downUntilTick;

    public long Restarts { get; private set; }

    /// <summary>Commits whose reply was lost in a store crash although they were applied.</summary>
    public long CommitsAppliedButUnanswered { get; private set; }

    /// <summary>The simulation's current tick (the store is down until its restart tick).</summary>
    public void At(long tick) => _now = tick;

    /// <summary>kill -9 of the store now: every call fails until <paramref name="untilTick"/>; nothing acknowledged is lost.</summary>
    public void Crash(long untilTick)
    {
        _downUntilTick = Math.Max(_downUntilTick, untilTick);
        Restarts++;
    }

    /// <summary>The store dies during the next commit: it is applied (fsynced) or not, and either way its reply is lost.</summary>
    public void CrashAtNextAppend(long untilTick, bool applied) => _crashAtNextAppend = (untilTick, applied);

    /// <summary>
    /// A store that lost records (restored from an old backup, or a replica promoted without them): the journal records of
    /// a shard from <paramref name="fromSeq"/> to <paramref name="toSeq"/> are gone, though they were acknowledged.
    /// </summary>
    public void LoseRecords(string shardId, long fromSeq, long toSeq) =>
        Journal(shardId).Records.RemoveAll(r => r.Position.Seq >= fromSeq && r.Position.Seq <= toSeq);

    public long JournalLength(string shardId) => Journal(shardId).Records.Count;

    public long JournalStartSeq(string shardId) => Journal(shardId).Records.Count == 0 ? 0 : Journal(shardId).Records[0].Position.Seq;

    // ---- IJournalStore ----

    public ValueTask<WriterClaim> ClaimAsync(string shardId, CancellationToken cancellationToken)
    {
        if (IsDown)
        {
            return Unavailable<WriterClaim>();
        }

        var journal = Journal(shardId);
        journal.Epoch++;
        return ValueTask.FromResult(new WriterClaim(journal.Epoch, journal.LastSeq));
    }

    public ValueTask<long> CurrentEpochAsync(string shardId, CancellationToken cancellationToken) =>
        IsDown ? Unavailable<long>() : ValueTask.FromResult(Journal(shardId).Epoch);

    public ValueTask<JournalAppended> AppendAsync(JournalCommit commit, CancellationToken cancellationToken)
    {
        if (IsDown)
        {
            return Unavailable<JournalAppended>();
        }

        var journal = Journal(commit.ShardId);
        if (commit.Epoch != journal.Epoch)
        {
            return ValueTask.FromException<JournalAppended>(new FencedException($"journal of {commit.ShardId}", commit.Epoch, journal.Epoch));
        }

        if (commit.Entries.Count > 0 && commit.Seq != journal.LastSeq + 1)
        {
            return ValueTask.FromException<JournalAppended>(new JournalGapException(commit.ShardId, commit.Seq, journal.LastSeq));
        }

        foreach (var id in commit.SubmittedJobIds)
        {
            if (_jobIds.TryGetValue(id, out var owner) && owner.ExpiresAtMs > NowMs && owner.Shard != commit.ShardId)
            {
                return ValueTask.FromException<JournalAppended>(new JobIdTakenException(id, owner.Shard));
            }
        }

        if (_crashAtNextAppend is { } crash)
        {
            _crashAtNextAppend = null;
            if (crash.Applied)
            {
                Apply(journal, commit);
                CommitsAppliedButUnanswered++;
            }

            Crash(crash.UntilTick);
            return Unavailable<JournalAppended>();
        }

        return ValueTask.FromResult(Apply(journal, commit));
    }

    public IAsyncEnumerable<JournalRecord> ReadAfterAsync(string shardId, JournalPosition? after, CancellationToken cancellationToken) =>
        new SyncAsyncEnumerable<JournalRecord>(() =>
        {
            if (IsDown)
            {
                throw new StateStoreUnavailableException("the simulated state store is down");
            }

            var records = Journal(shardId).Records;
            var from = after?.Seq ?? 0;
            var index = FirstIndexAfter(records, from);
            return records.Skip(index).ToArray();
        });

    // ---- ISnapshotStore ----

    public ValueTask<long> ClaimAsync(CancellationToken cancellationToken)
    {
        if (IsDown)
        {
            return Unavailable<long>();
        }

        return ValueTask.FromResult(++_checkpointerEpoch);
    }

    public ValueTask<StoredSnapshot?> LatestAsync(string shardId, CancellationToken cancellationToken) =>
        IsDown ? Unavailable<StoredSnapshot?>() : ValueTask.FromResult(Snapshots(shardId).LastOrDefault());

    public ValueTask<IReadOnlyList<SnapshotMeta>> ListAsync(string shardId, CancellationToken cancellationToken) =>
        IsDown ? Unavailable<IReadOnlyList<SnapshotMeta>>() : ValueTask.FromResult<IReadOnlyList<SnapshotMeta>>(Snapshots(shardId).Select(s => s.Meta).Reverse().ToArray());

    public ValueTask<SnapshotWritten> WriteAsync(long epoch, SnapshotMeta meta, byte[] bytes, int retained, CancellationToken cancellationToken)
    {
        if (IsDown)
        {
            return Unavailable<SnapshotWritten>();
        }

        if (epoch != _checkpointerEpoch)
        {
            return ValueTask.FromException<SnapshotWritten>(new FencedException("snapshots", epoch, _checkpointerEpoch));
        }

        var list = Snapshots(meta.ShardId);
        list.RemoveAll(s => s.Meta.Position.Seq == meta.Position.Seq);
        list.Add(new StoredSnapshot(meta, bytes));
        list.Sort((a, b) => a.Meta.Position.Seq.CompareTo(b.Meta.Position.Seq)); // highest position last: the latest
        while (list.Count > Math.Max(1, retained))
        {
            list.RemoveAt(0);
        }

        var records = Journal(meta.ShardId).Records;
        var trimmed = FirstIndexAfter(records, list[0].Meta.Position.Seq - 1); // keep the oldest kept snapshot's own record
        records.RemoveRange(0, trimmed);
        _checkpoints.Add(new CheckpointRecord(meta.ShardId, meta.Id, meta.Tick, meta.Position.ToString(), meta.Jobs, meta.Tombstones, meta.SizeBytes, trimmed, meta.AtMs));
        return ValueTask.FromResult(new SnapshotWritten(trimmed, list.Count));
    }

    // ---- IParameterSource ----

    public ValueTask<StoredParameters?> CurrentAsync(CancellationToken cancellationToken) =>
        IsDown ? Unavailable<StoredParameters?>() : ValueTask.FromResult(_parameters);

    /// <summary>The owner writes new parameters (false while the store is down: the change is refused).</summary>
    public bool TryWriteParameters(StoredParameters parameters)
    {
        if (IsDown)
        {
            return false;
        }

        _parameters = parameters;
        return true;
    }

    // ---- IJobRegistry ----

    public ValueTask<IReadOnlyDictionary<string, KnownJob>> LookupAsync(IReadOnlyCollection<string> jobIds, CancellationToken cancellationToken)
    {
        if (IsDown)
        {
            return Unavailable<IReadOnlyDictionary<string, KnownJob>>();
        }

        var now = NowMs;
        var known = new Dictionary<string, KnownJob>(StringComparer.Ordinal);
        foreach (var id in jobIds)
        {
            if (_jobIds.TryGetValue(id, out var owner) && owner.ExpiresAtMs > now)
            {
                var finished = _outcomeExpiresAtMs.TryGetValue(id, out var until) && until > now ? _books[id].Kind : (JobOutcomeKind?)null;
                known[id] = new KnownJob(id, owner.Shard, finished);
            }
        }

        return ValueTask.FromResult<IReadOnlyDictionary<string, KnownJob>>(known);
    }

    public ValueTask<IReadOnlyDictionary<string, JobOutcome>> OutcomesAsync(IReadOnlyCollection<string> jobIds, CancellationToken cancellationToken)
    {
        if (IsDown)
        {
            return Unavailable<IReadOnlyDictionary<string, JobOutcome>>();
        }

        var now = NowMs;
        var kept = new Dictionary<string, JobOutcome>(StringComparer.Ordinal);
        foreach (var id in jobIds)
        {
            if (_outcomeExpiresAtMs.TryGetValue(id, out var until) && until > now)
            {
                kept[id] = _books[id];
            }
        }

        return ValueTask.FromResult<IReadOnlyDictionary<string, JobOutcome>>(kept);
    }

    private JournalAppended Apply(ShardJournal journal, JournalCommit commit)
    {
        var position = new JournalPosition(journal.LastSeq, journal.LastSeq.ToString(CultureInfo.InvariantCulture));
        JournalRecord? record = null;
        if (commit.Entries.Count > 0)
        {
            journal.LastSeq = commit.Seq;
            position = new JournalPosition(commit.Seq, commit.Seq.ToString(CultureInfo.InvariantCulture));
            record = new JournalRecord(position, commit.Epoch, commit.Entries);
            journal.Records.Add(record);
        }

        foreach (var id in commit.SubmittedJobIds)
        {
            _jobIds[id] = (commit.ShardId, long.MaxValue); // known for as long as the job is unfinished
        }

        foreach (var id in commit.RequeuedJobIds)
        {
            _outcomeExpiresAtMs.Remove(id); // out of the books: it will have an outcome again
            if (_jobIds.TryGetValue(id, out var owner))
            {
                _jobIds[id] = owner with { ExpiresAtMs = long.MaxValue };
            }
        }

        var expiresAt = commit.AtMs + commit.RetentionSeconds * 1000;
        var already = 0;
        foreach (var outcome in commit.Outcomes)
        {
            if (_outcomeExpiresAtMs.TryGetValue(outcome.JobId, out var until) && until > NowMs)
            {
                already++;
                continue;
            }

            _books[outcome.JobId] = outcome;
            _finishedSince.Add(outcome.JobId);
            _outcomeExpiresAtMs[outcome.JobId] = expiresAt;
            if (_jobIds.TryGetValue(outcome.JobId, out var owner))
            {
                _jobIds[outcome.JobId] = owner with { ExpiresAtMs = expiresAt };
            }
        }

        if (recordTimeline)
        {
            _timeline.AddRange(commit.TimelineEvents());
        }

        if (record is not null)
        {
            Appended?.Invoke(commit.ShardId, record);
        }

        return new JournalAppended(position, already);
    }

    private long NowMs => time.GetUtcNow().ToUnixTimeMilliseconds();

    private static int FirstIndexAfter(List<JournalRecord> records, long seq)
    {
        int lo = 0, hi = records.Count;
        while (lo < hi)
        {
            var mid = (lo + hi) / 2;
            if (records[mid].Position.Seq <= seq)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }

    private ShardJournal Journal(string shardId)
    {
        if (!_journals.TryGetValue(shardId, out var journal))
        {
            journal = new ShardJournal();
            _journals[shardId] = journal;
        }

        return journal;
    }

    private List<StoredSnapshot> Snapshots(string shardId)
    {
        if (!_snapshots.TryGetValue(shardId, out var list))
        {
            list = [];
            _snapshots[shardId] = list;
        }

        return list;
    }

    private static ValueTask<T> Unavailable<T>() =>
        ValueTask.FromException<T>(new StateStoreUnavailableException("the simulated state store is down"));

    private sealed class ShardJournal
    {
        public long Epoch { get; set; }

        public long LastSeq { get; set; }

        public List<JournalRecord> Records { get; } = [];
    }
}
