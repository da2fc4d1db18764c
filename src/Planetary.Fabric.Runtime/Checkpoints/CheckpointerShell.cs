using Planetary.Contracts;
using Planetary.Fabric.Effects;
using Planetary.Fabric.Journal;
using Planetary.Fabric.Manifest;
using Planetary.Fabric.Parameters;
using Planetary.Fabric.Routing;
using Planetary.Fabric.Runtime.Ports;
using Planetary.Fabric.Runtime.Routers;

namespace Planetary.Fabric.Runtime.Checkpoints;

/// <summary>Everything the checkpointer process works with.</summary>
public sealed record CheckpointerPorts(
    IJournalStore Journal, ISnapshotStore Snapshots, IParameterSource Parameters, IEffectBus Bus, IProcessControl Process, TimeProvider Time);

/// <summary>What the checkpointer reports of itself (logs live).</summary>
public interface ICheckpointerObserver
{
    void Written(CheckpointWritten written, int recordsFolded) { }

    /// <summary>The cached fold disagreed with the journal; the shard is reloaded from the store next round.</summary>
    void FoldFailed(string shardId, Exception error) { }

    /// <summary>A shard's checkpoint failed (the store or broker away); the next round tries again.</summary>
    void ShardFailed(string shardId, Exception error) { }
}

/// <summary>
/// The checkpointer process, written once: it never reads a router's memory, only its journal. Per shard it keeps the
/// state as of the latest snapshot it knows (rebuilt from the store when unsure), folds the journal records written
/// since with the core's own <see cref="RouterState.Apply"/>, and writes the snapshot with its journal position —
/// fenced by its own epoch, so a second or deposed checkpointer cannot write — keeping
/// <c>checkpoint.snapshotsRetained</c> and trimming the journal below the oldest kept.
/// </summary>
public sealed class CheckpointerShell(FabricManifest genesis, CheckpointerPorts ports, ICheckpointerObserver? observer = null)
{
    public const string ServiceName = "checkpointer";

    private readonly FabricManifest _genesis = genesis;
    private readonly ICheckpointerObserver _observer = observer ?? new NoObserver();
    private readonly Dictionary<string, Folded> _folded = new(StringComparer.Ordinal);
    private readonly Lock _adoptGate = new();
    private long _epoch;

    /// <summary>The manifest with the owner's parameters this process has adopted (interval, snapshots kept).</summary>
    public FabricManifest Manifest { get; private set; } = genesis;

    public long ParameterVersion { get; private set; }

    public long Epoch => _epoch;

    /// <summary>
    /// Time between rounds on the live fleet: <c>checkpoint.intervalTicks</c> × <c>routers.tickMs</c>, at most a day
    /// (every value the owner may set must keep the process running: 1,000,000 ticks of 5 s would overflow a timer).
    /// </summary>
    public TimeSpan Interval => TimeSpan.FromMilliseconds(Math.Min((double)Manifest.Checkpoint.IntervalTicks * Manifest.Routers.TickMs, MaxInterval.TotalMilliseconds));

    /// <summary>The longest wait between rounds.</summary>
    public static readonly TimeSpan MaxInterval = TimeSpan.FromDays(1);

    /// <summary>Claims the checkpointer role (older checkpointers' writes fail from now on) and adopts the stored parameters.</summary>
    public async ValueTask StartAsync(CancellationToken cancellationToken)
    {
        _epoch = await ports.Snapshots.ClaimAsync(cancellationToken);
        await AdoptStoredParametersAsync(cancellationToken);
    }

    /// <summary>
    /// Adopts the owner's parameters as stored, if valid and newer than what this process runs with (safe from any
    /// thread). A published parameter message only prompts this: its values are never adopted as sent.
    /// </summary>
    public async ValueTask AdoptStoredParametersAsync(CancellationToken cancellationToken)
    {
        if (await ValidStoredParameters.ReadAsync(ports.Parameters, _genesis, cancellationToken) is not { IsValid: true } valid)
        {
            return;
        }

        lock (_adoptGate)
        {
            if (valid.Stored.Version > ParameterVersion)
            {
                Manifest = valid.Manifest!;
                ParameterVersion = valid.Stored.Version;
            }
        }
    }

    /// <summary>Checkpoints every shard (or one), then reports what it wrote and which parameter version it runs with.</summary>
    public async ValueTask<IReadOnlyList<CheckpointWritten>> RoundAsync(string? onlyShard, CancellationToken cancellationToken)
    {
        var written = new List<CheckpointWritten>();
        var effects = new List<Effect>();
        foreach (var shard in Manifest.Shards.Where(s => onlyShard is null || s.Id == onlyShard))
        {
            try
            {
                if (await CheckpointAsync(shard.Id, Manifest.Checkpoint.SnapshotsRetained, cancellationToken) is { } one)
                {
                    written.Add(one);
                    effects.Add(new Publish(one));
                }
            }
            catch (Exception e) when (e is not (FencedException or ProcessStoppedException) && !cancellationToken.IsCancellationRequested)
            {
                _observer.ShardFailed(shard.Id, e);
            }
        }

        effects.Add(new Publish(new ParametersApplied(ServiceName, ParameterVersion)));
        try
        {
            await ports.Bus.SendAsync(effects, cancellationToken);
        }
        catch (Exception e) when (e is not ProcessStoppedException && !cancellationToken.IsCancellationRequested)
        {
            _observer.ShardFailed("(reports)", e); // reports repeat every round; the snapshots are already durable
        }

        return written;
    }

    /// <summary>Writes a snapshot of the shard if its journal has grown since the last one; returns what was written.</summary>
    public async ValueTask<CheckpointWritten?> CheckpointAsync(string shardId, int retained, CancellationToken cancellationToken)
    {
        if (!_folded.TryGetValue(shardId, out var folded))
        {
            var rebuilt = await RouterRecovery.RebuildAsync(shardId, _genesis, ports.Journal, ports.Snapshots, cancellationToken);
            folded = new Folded(rebuilt.State, rebuilt.LastPosition ?? rebuilt.Snapshot?.Position, rebuilt.Snapshot?.Position);
            _folded[shardId] = folded;
        }

        int records;
        try
        {
            var (_, count, last) = await RouterRecovery.FoldAsync(shardId, folded.State, ports.Journal, folded.Position, "the last checkpoint", cancellationToken);
            records = count;
            folded = folded with { Position = last ?? folded.Position };
            _folded[shardId] = folded;
        }
        catch (Exception e) when (e is InvariantViolationException or JournalDiscontinuityException)
        {
            _folded.Remove(shardId); // the cached fold disagrees with the journal: start again from the store
            _observer.FoldFailed(shardId, e);
            return null;
        }

        if (folded.Position is not { } position || position == folded.Snapshotted)
        {
            return null; // nothing new since the last snapshot
        }

        var snapshot = RouterSnapshot.Capture(folded.State);
        var bytes = FabricJson.SerializeSnapshot(snapshot);
        var atMs = ports.Time.GetUtcNow().ToUnixTimeMilliseconds();
        var meta = new SnapshotMeta($"{shardId}@{position.Seq}", shardId, position, folded.State.Tick, bytes.Length, snapshot.Jobs.Count, snapshot.Tombstones.Count, atMs);
        SnapshotWritten result;
        try
        {
            result = await ports.Snapshots.WriteAsync(_epoch, meta, bytes, retained, cancellationToken);
        }
        catch (FencedException e)
        {
            ports.Process.FailStop($"checkpointer: another checkpointer owns the snapshots now ({e.Message}); this one stops", e);
            throw; // not reached
        }

        _folded[shardId] = folded with { Snapshotted = position };
        var written = new CheckpointWritten(shardId, meta.Id, meta.Tick, position.ToString(), meta.Jobs, meta.Tombstones, meta.SizeBytes, result.JournalRecordsTrimmed, atMs);
        _observer.Written(written, records);
        return written;
    }

    private sealed record Folded(RouterState State, JournalPosition? Position, JournalPosition? Snapshotted);

    private sealed class NoObserver : ICheckpointerObserver;
}
