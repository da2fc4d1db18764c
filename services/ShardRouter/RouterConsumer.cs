using MassTransit;
using Planetary.Contracts;
using Planetary.Fabric.Hosting;
using Planetary.Fabric.Routing;
using Planetary.Fabric.Runtime.Routers;

namespace Planetary.ShardRouter;

/// <summary>Every message a router takes, handed to its processor as typed work; the consumer returns (and RabbitMQ acks) once it is journaled.</summary>
public sealed class RouterConsumer(ProcessorInbox<RouterWork> inbox) :
    IConsumer<SubmitJobs>,
    IConsumer<ReportJobResults>,
    IConsumer<NodeHeartbeat>,
    IConsumer<RegisterNode>,
    IConsumer<TransferJobs>,
    IConsumer<SettleTransfer>,
    IConsumer<ShardLoadReported>,
    IConsumer<FabricParametersPublished>,
    IConsumer<CancelJob>,
    IConsumer<RequeueJobs>,
    IConsumer<CrashRouter>
{
    public Task Consume(ConsumeContext<SubmitJobs> context) => Take(context, new RouterInput.Submit(context.Message));

    public Task Consume(ConsumeContext<ReportJobResults> context) => Take(context, new RouterInput.Results(context.Message));

    public Task Consume(ConsumeContext<NodeHeartbeat> context) => Take(context, new RouterInput.Heartbeat(context.Message));

    public Task Consume(ConsumeContext<RegisterNode> context) => Take(context, new RouterInput.Registration(context.Message));

    public Task Consume(ConsumeContext<TransferJobs> context) => Take(context, new RouterInput.TransferIn(context.Message));

    public Task Consume(ConsumeContext<SettleTransfer> context) => Take(context, new RouterInput.Settlement(context.Message));

    public Task Consume(ConsumeContext<ShardLoadReported> context) => Take(context, new RouterInput.AllyLoad(context.Message));

    public Task Consume(ConsumeContext<FabricParametersPublished> context) => Take(context, new RouterInput.Parameters(context.Message));

    public Task Consume(ConsumeContext<CancelJob> context) => Take(context, new RouterInput.Cancel(context.Message));

    public Task Consume(ConsumeContext<RequeueJobs> context) => Take(context, new RouterInput.Requeue(context.Message));

    public Task Consume(ConsumeContext<CrashRouter> context) =>
        inbox.Handle(ack => new RouterWork.Crash(context.Message, ack)).WaitAsync(context.CancellationToken);

    private Task Take(ConsumeContext context, RouterInput input) =>
        inbox.Handle(ack => new RouterWork.Input(input, ack)).WaitAsync(context.CancellationToken);
}
