using MassTransit;
using Planetary.Contracts;
using Planetary.Fabric.Runtime.Checkpoints;

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
        worker.Shell.Adopt(context.Message.Version, context.Message.Values);
        await context.Publish(new ParametersApplied(CheckpointerShell.ServiceName, worker.Shell.ParameterVersion));
    }
}
