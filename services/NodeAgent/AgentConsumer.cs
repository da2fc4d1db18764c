using MassTransit;
using Planetary.Contracts;
using Planetary.Fabric.Agents;
using Planetary.Fabric.Hosting;
using Planetary.Fabric.Runtime.Agents;

namespace Planetary.NodeAgent;

/// <summary>Every message an agent takes, handed to its processor as typed work.</summary>
public sealed class AgentConsumer(ProcessorInbox<AgentWork> inbox) :
    IConsumer<AssignJobs>,
    IConsumer<AcknowledgeJobResults>,
    IConsumer<TakeNodeOffline>,
    IConsumer<FabricParametersPublished>,
    IConsumer<StopAttempts>
{
    public Task Consume(ConsumeContext<StopAttempts> context) => Take(context, new AgentInput.Stop(context.Message));

    public Task Consume(ConsumeContext<AssignJobs> context) => Take(context, new AgentInput.Assign(context.Message));

    public Task Consume(ConsumeContext<AcknowledgeJobResults> context) => Take(context, new AgentInput.Acknowledge(context.Message));

    public Task Consume(ConsumeContext<TakeNodeOffline> context) => Take(context, new AgentInput.TakeOffline(context.Message));

    public Task Consume(ConsumeContext<FabricParametersPublished> context) => Take(context, new AgentInput.Parameters(context.Message));

    private Task Take(ConsumeContext context, AgentInput input) =>
        inbox.Handle(ack => new AgentWork.Input(input, ack)).WaitAsync(context.CancellationToken);
}
