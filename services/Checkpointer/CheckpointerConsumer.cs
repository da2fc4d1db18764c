using MassTransit;
using Planetary.Contracts;
using Planetary.Fabric.Runtime.Checkpoints;
using Planetary.Fabric.Runtime.Ports;

namespace Planetary.Checkpointer;

/// <summary>"Checkpoint now" requests and owner parameter changes (interval, snapshots kept).</summary>
public sealed class CheckpointerConsumer(CheckpointWorker worker) :
    IConsumer<CheckpointNow>,
    IConsumer<FabricParametersPublished>
{
    public Task Consume(ConsumeContext<CheckpointNow> context)
    {
        worker.Request(context.Message);
        return Task.CompletedTask;
    }

    public async Task Consume(ConsumeContext<FabricParametersPublished> context)
    {
        try
        {
            await worker.Shell.AdoptStoredParametersAsync(context.CancellationToken); // the store's values, never the message's
        }
        catch (StateStoreUnavailableException)
        {
            // the owner republishes until every service has applied the version; the next one reads the store again
        }

        worker.IntervalMayHaveChanged();
        await context.Publish(new ParametersApplied(CheckpointerShell.ServiceName, worker.Shell.ParameterVersion));
    }
}
