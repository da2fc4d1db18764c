using MassTransit;
using Planetary.Contracts;
using Planetary.Fabric.Hosting;
using Planetary.Fabric.Parameters;

namespace Planetary.Checkpointer;

/// <summary>"Checkpoint now" requests and owner parameter changes (interval, snapshots kept).</summary>
public sealed class CheckpointerConsumer(CheckpointWorker worker, GenesisManifest genesis) :
    IConsumer<CheckpointNow>,
    IConsumer<FabricParametersPublished>
{
    public const string ServiceName = "checkpointer";

    public Task Consume(ConsumeContext<CheckpointNow> context)
    {
        worker.Request(context.Message);
        return Task.CompletedTask;
    }

    public async Task Consume(ConsumeContext<FabricParametersPublished> context)
    {
        worker.Adopt(ParameterCatalog.ApplyAll(genesis.Manifest, context.Message.Values), context.Message.Version);
        await context.Publish(new ParametersApplied(ServiceName, worker.ParameterVersion));
    }
}
