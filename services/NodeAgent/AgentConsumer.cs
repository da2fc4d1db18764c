using MassTransit;
using Planetary.Contracts;
using Planetary.Fabric.Hosting;

namespace Planetary.NodeAgent;

/// <summary>Every message an agent takes, handed to its processor.</summary>
public sealed class AgentConsumer(ProcessorInbox inbox) :
    IConsumer<AssignJobs>,
    IConsumer<AcknowledgeJobResults>,
    IConsumer<TakeNodeOffline>,
    IConsumer<FabricParametersPublished>
{
    public Task Consume(ConsumeContext<AssignJobs> context) => inbox.Handle(context.Message).WaitAsync(context.CancellationToken);

    public Task Consume(ConsumeContext<AcknowledgeJobResults> context) => inbox.Handle(context.Message).WaitAsync(context.CancellationToken);

    public Task Consume(ConsumeContext<TakeNodeOffline> context) => inbox.Handle(context.Message).WaitAsync(context.CancellationToken);

    public Task Consume(ConsumeContext<FabricParametersPublished> context) => inbox.Handle(context.Message).WaitAsync(context.CancellationToken);
}
