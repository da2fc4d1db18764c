using MassTransit;
using Planetary.Fabric.Runtime.Ports;

namespace Planetary.Fabric.Hosting.Messaging;

/// <summary>Takes this process's own probes off its queue; a probe of an earlier instance of the service is dropped.</summary>
public sealed class QueueProbeConsumer(QueueLiveness liveness, IProcessControl process) : IConsumer<QueueProbe>
{
    public Task Consume(ConsumeContext<QueueProbe> context)
    {
        if (context.Message.InstanceId == process.InstanceId)
        {
            liveness.Received(context.Message.Sequence);
        }

        return Task.CompletedTask;
    }
}
