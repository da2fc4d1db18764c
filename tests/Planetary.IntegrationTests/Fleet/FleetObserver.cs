using System.Collections.Concurrent;
using MassTransit;
using Planetary.Contracts;

namespace Planetary.IntegrationTests.Fleet;

/// <summary>The test's own subscriber on the fleet's bus: what every router and agent reports about itself.</summary>
public sealed class FleetObserver
{
    public ConcurrentDictionary<string, ShardStatusReported> Shards { get; } = new(StringComparer.Ordinal);

    public ConcurrentDictionary<string, NodeStatusReported> Nodes { get; } = new(StringComparer.Ordinal);

    public ConcurrentQueue<RouterResumed> Resumes { get; } = new();

    public ConcurrentDictionary<string, long> AppliedVersions { get; } = new(StringComparer.Ordinal);

    public ConcurrentQueue<CheckpointWritten> Checkpoints { get; } = new();

    public sealed class Consumer(FleetObserver observer) :
        IConsumer<ShardStatusReported>, IConsumer<NodeStatusReported>, IConsumer<RouterResumed>, IConsumer<ParametersApplied>, IConsumer<CheckpointWritten>
    {
        public Task Consume(ConsumeContext<CheckpointWritten> context)
        {
            observer.Checkpoints.Enqueue(context.Message);
            return Task.CompletedTask;
        }

        public Task Consume(ConsumeContext<ShardStatusReported> context)
        {
            observer.Shards[context.Message.ShardId] = context.Message;
            return Task.CompletedTask;
        }

        public Task Consume(ConsumeContext<NodeStatusReported> context)
        {
            observer.Nodes[context.Message.NodeId] = context.Message;
            return Task.CompletedTask;
        }

        public Task Consume(ConsumeContext<RouterResumed> context)
        {
            observer.Resumes.Enqueue(context.Message);
            return Task.CompletedTask;
        }

        public Task Consume(ConsumeContext<ParametersApplied> context)
        {
            observer.AppliedVersions.AddOrUpdate(context.Message.Service, context.Message.Version, (_, v) => Math.Max(v, context.Message.Version));
            return Task.CompletedTask;
        }
    }
}
