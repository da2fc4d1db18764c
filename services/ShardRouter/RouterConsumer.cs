using Planetary.Fabric.Hosting;
using MassTransit;
using Planetary.Contracts;

namespace Planetary.ShardRouter;

/// <summary>Every message a router takes, handed to its processor; the consumer returns (and RabbitMQ acks) once it is journaled.</summary>
public sealed class RouterConsumer(ProcessorInbox inbox) :
    IConsumer<SubmitJobs>,
    IConsumer<ReportJobResults>,
    IConsumer<NodeHeartbeat>,
    IConsumer<RegisterNode>,
    IConsumer<TransferJobs>,
    IConsumer<SettleTransfer>,
    IConsumer<ShardLoadReported>,
    IConsumer<FabricParametersPublished>,
    IConsumer<CancelJob>,
    IConsumer<CrashRouter>
{
    public Task Consume(ConsumeContext<SubmitJobs> context) => inbox.Handle(context.Message).WaitAsync(context.CancellationToken);

    public Task Consume(ConsumeContext<ReportJobResults> context) => inbox.Handle(context.Message).WaitAsync(context.CancellationToken);

    public Task Consume(ConsumeContext<NodeHeartbeat> context) => inbox.Handle(context.Message).WaitAsync(context.CancellationToken);

    public Task Consume(ConsumeContext<RegisterNode> context) => inbox.Handle(context.Message).WaitAsync(context.CancellationToken);

    public Task Consume(ConsumeContext<TransferJobs> context) => inbox.Handle(context.Message).WaitAsync(context.CancellationToken);

    public Task Consume(ConsumeContext<SettleTransfer> context) => inbox.Handle(context.Message).WaitAsync(context.CancellationToken);

    public Task Consume(ConsumeContext<ShardLoadReported> context) => inbox.Handle(context.Message).WaitAsync(context.CancellationToken);

    public Task Consume(ConsumeContext<FabricParametersPublished> context) => inbox.Handle(context.Message).WaitAsync(context.CancellationToken);

    public Task Consume(ConsumeContext<CancelJob> context) => inbox.Handle(context.Message).WaitAsync(context.CancellationToken);

    public Task Consume(ConsumeContext<CrashRouter> context) => inbox.Handle(context.Message).WaitAsync(context.CancellationToken);
}
