using System.Threading.Channels;
using Planetary.Contracts;
using Planetary.Fabric.Hosting;
using Planetary.Fabric.Hosting.Messaging;
using Planetary.Fabric.Runtime.Checkpoints;
using Planetary.Fabric.Runtime.Ports;

namespace Planetary.Checkpointer;

/// <summary>
/// The checkpointer process's loop around the shared <see cref="CheckpointerShell"/>: it waits for the state store,
/// claims the checkpointer role, then every <c>checkpoint.intervalTicks</c> × <c>routers.tickMs</c> (following owner
/// changes) checkpoints every shard, and on <see cref="CheckpointNow"/> at once.
/// </summary>
public sealed partial class CheckpointWorker : BackgroundService
{
    private readonly Channel<CheckpointNow?> _requests = Channel.CreateUnbounded<CheckpointNow?>();
    private readonly CheckpointerShell _shell;
    private readonly TimeProvider _time;
    private readonly ILogger<CheckpointWorker> _logger;

    public CheckpointWorker(
        GenesisManifest genesis, IJournalStore journal, ISnapshotStore snapshots, IParameterSource parameters, EffectDispatcher bus,
        IProcessControl process, TimeProvider time, ILogger<CheckpointWorker> logger)
    {
        _time = time;
        _logger = logger;
        _shell = new CheckpointerShell(genesis.Manifest, new CheckpointerPorts(journal, snapshots, parameters, bus, process, time), new Observer(this));
    }

    public CheckpointerShell Shell => _shell;

    public void Request(CheckpointNow request) => _requests.Writer.TryWrite(request);

    /// <summary>The interval may have changed (an owner change): the next round is due at the last round plus the new interval.</summary>
    public void IntervalMayHaveChanged() => _requests.Writer.TryWrite(null);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await StateStoreWait.UntilDoneAsync(() => _shell.StartAsync(stoppingToken).AsTask(), "checkpointer", _logger, _time, stoppingToken);
        LogStarted(_shell.Epoch, _shell.ParameterVersion);
        var lastRound = _time.GetUtcNow();
        while (!stoppingToken.IsCancellationRequested)
        {
            var due = lastRound + _shell.Interval - _time.GetUtcNow();
            CheckpointNow? request = null;
            if (due > TimeSpan.Zero)
            {
                using var wait = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                wait.CancelAfter(due);
                try
                {
                    request = await _requests.Reader.ReadAsync(wait.Token);
                    if (request is null)
                    {
                        continue; // the interval changed: wait again for what is left of the new one
                    }
                }
                catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
                {
                    // the interval elapsed
                }
            }

            await _shell.RoundAsync(request?.ShardId, stoppingToken);
            if (request is null)
            {
                lastRound = _time.GetUtcNow(); // a requested round of one shard does not move the schedule
            }
        }
    }

    private sealed class Observer(CheckpointWorker worker) : ICheckpointerObserver
    {
        public void Written(CheckpointWritten written, int recordsFolded) =>
            worker.LogWritten(written.ShardId, written.SnapshotId, written.Tick, written.SizeBytes, written.Jobs, recordsFolded, written.JournalEntriesTrimmed);

        public void FoldFailed(string shardId, Exception error) => worker.LogFoldFailed(shardId, error.Message);

        public void ShardFailed(string shardId, Exception error) => worker.LogRoundFailed(shardId, error.Message);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Checkpointer owns the snapshots at epoch {Epoch}, parameter version {Version}")]
    private partial void LogStarted(long epoch, long version);

    [LoggerMessage(Level = LogLevel.Information, Message = "Checkpoint {SnapshotId} of {ShardId}: tick {Tick}, {SizeBytes} bytes, {Jobs} live jobs, {Records} journal records folded, {Trimmed} trimmed")]
    private partial void LogWritten(string shardId, string snapshotId, long tick, long sizeBytes, int jobs, int records, long trimmed);

    [LoggerMessage(Level = LogLevel.Error, Message = "Folding the journal of {ShardId} failed ({Error}); reloading from the latest snapshot next round")]
    private partial void LogFoldFailed(string shardId, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Checkpoint of {ShardId} failed: {Error}; retrying next round")]
    private partial void LogRoundFailed(string shardId, string error);
}
