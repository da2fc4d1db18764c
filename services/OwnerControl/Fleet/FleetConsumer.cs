using MassTransit;
using Planetary.Contracts;

namespace Planetary.OwnerControl.Fleet;

/// <summary>Subscribes owner control's queue to the services' reports.</summary>
public sealed class FleetConsumer(FleetView fleet) :
    IConsumer<ShardStatusReported>,
    IConsumer<ShardLoadReported>,
    IConsumer<NodeStatusReported>,
    IConsumer<ParametersApplied>,
    IConsumer<RouterResumed>,
    IConsumer<CheckpointWritten>,
    IConsumer<JobsAccepted>
{
    public Task Consume(ConsumeContext<ShardStatusReported> context) => Done(() => fleet.Observe(context.Message));

    public Task Consume(ConsumeContext<ShardLoadReported> context) => Done(() => fleet.Observe(context.Message));

    public Task Consume(ConsumeContext<NodeStatusReported> context) => Done(() => fleet.Observe(context.Message));

    public Task Consume(ConsumeContext<ParametersApplied> context) => Done(() => fleet.Observe(context.Message));

    public Task Consume(ConsumeContext<RouterResumed> context) => Done(() => fleet.Observe(context.Message));

    public Task Consume(ConsumeContext<CheckpointWritten> context) => Done(() => fleet.Observe(context.Message));

    public Task Consume(ConsumeContext<JobsAccepted> context) => Done(() => fleet.Observe(context.Message));

    private static Task Done(Action observe)
    {
        observe();
        return Task.CompletedTask;
    }
}
