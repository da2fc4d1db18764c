using System.Threading.Channels;
using Planetary.Contracts;
using Planetary.Fabric.Hosting;
using Planetary.Fabric.Hosting.Redis;
using Planetary.Fabric.Manifest;

namespace Planetary.Checkpointer;

/// <summary>
/// Every <c>checkpoint.intervalTicks</c> × <c>routers.tickMs</c>, checkpoints every shard; on <see cref="CheckpointNow"/>
/// at once. Follows owner changes of the interval and of the number of snapshots kept.
/// </summary>
public sealed partial class CheckpointWorker(
    SnapshotFolder folder,
    GenesisManifest genesis,
    ParameterStore parameters,
    MassTransit.IBus bus,
    ILogger<CheckpointWorker> logger) : BackgroundService
{
    private readonly Channel<CheckpointNow> _requests = Channel.CreateUnbounded<CheckpointNow>();
    private volatile FabricManifest? _manifest;
    private long _version;

    public long ParameterVersion => Interlocked.Read(ref _version);

    public void Request(CheckpointNow request) => _requests.Writer.TryWrite(request);

    public void Adopt(FabricManifest manifest, long version)
    {
        if (version > Interlocked.Read(ref _version))
        {
            _manifest = manifest;
            Interlocked.Exchange(ref _version, version);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var (manifest, version) = await parameters.CurrentManifestAsync(genesis.Manifest);
        Adopt(manifest, version);
        while (!stoppingToken.IsCancellationRequested)
        {
            var current = _manifest ?? genesis.Manifest;
            var interval = TimeSpan.FromMilliseconds((double)current.Checkpoint.IntervalTicks * current.Routers.TickMs);
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            wait.CancelAfter(interval);
            CheckpointNow? request = null;
            try
            {
                request = await _requests.Reader.ReadAsync(wait.Token);
            }
            catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
            {
                // the interval elapsed
            }

            await RoundAsync(current, request, stoppingToken);
            await ReportAppliedAsync(stoppingToken);
        }
    }

    /// <summary>Tells owner control which parameter version the checkpointer runs with (every round, so it is never stale).</summary>
    private async Task ReportAppliedAsync(CancellationToken cancellationToken)
    {
        try
        {
            await bus.Publish(new ParametersApplied(CheckpointerConsumer.ServiceName, ParameterVersion), cancellationToken);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            LogRoundFailed("(parameters)", e.Message);
        }
    }

    private async Task RoundAsync(FabricManifest manifest, CheckpointNow? request, CancellationToken cancellationToken)
    {
        foreach (var shard in manifest.Shards.Where(s => request?.ShardId is null || s.Id == request.ShardId))
        {
            try
            {
                if (await folder.CheckpointAsync(shard.Id, manifest.Checkpoint.SnapshotsRetained, cancellationToken) is { } written)
                {
                    await bus.Publish(written, cancellationToken);
                }
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                LogRoundFailed(shard.Id, e.Message); // Redis or RabbitMQ away: the next round tries again
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Checkpoint of {ShardId} failed: {Error}; retrying next round")]
    private partial void LogRoundFailed(string shardId, string error);
}
