using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RabbitMQ.Client;

namespace Planetary.Fabric.Hosting.Messaging;

/// <summary>
/// Every service queue of the fabric (a router per shard, an agent per node, owner control, the checkpointer), declared
/// in one place with the arguments its own receive endpoint declares: durable, a single active consumer for routers,
/// quorum type on a cluster (<c>Fabric:QuorumQueues</c>), and a fanout exchange of the same name bound to it. Every
/// service declares the whole topology when it starts (RabbitMQ declarations are idempotent), and senders send to the
/// exchange, never declaring a queue themselves: a sender that declared a queue with other arguments would be refused
/// by RabbitMQ, or, first, would create it wrongly for its owner.
/// </summary>
public sealed partial class FabricTopology(GenesisManifest genesis, IConfiguration configuration, TimeProvider time, ILogger<FabricTopology> logger) : BackgroundService
{
    private readonly TaskCompletionSource _declared = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private bool Quorum => configuration.GetValue<bool>($"{FabricOptions.SectionName}:{nameof(FabricOptions.QuorumQueues)}");

    /// <summary>Completes once the topology is declared (senders wait for it).</summary>
    public Task Declared => _declared.Task;

    /// <summary>The queue arguments of a service queue, exactly as its receive endpoint declares them.</summary>
    public static Dictionary<string, object?> ArgumentsOf(string queue, bool quorum)
    {
        var arguments = new Dictionary<string, object?>(StringComparer.Ordinal);
        if (Queues.IsSingleActiveConsumer(queue))
        {
            arguments[Headers.XSingleActiveConsumer] = true;
        }

        if (quorum)
        {
            arguments[Headers.XQueueType] = "quorum";
        }

        return arguments;
    }

    /// <summary>Every service queue of a fabric with this manifest.</summary>
    public IReadOnlyList<string> AllQueues() =>
        genesis.Manifest.Shards.Select(s => Queues.Router(s.Id))
            .Concat(genesis.Manifest.Nodes.Select(n => Queues.Node(n.Id)))
            .Append(Queues.OwnerControl)
            .Append(Queues.Checkpointer)
            .ToArray();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var connectionString = configuration.GetConnectionString(ConnectionNames.EventBus)!;
        var uri = new Uri(connectionString);
        var (user, password) = EventBusAddress.Credentials(uri);
        var factory = new ConnectionFactory { UserName = user, Password = password, VirtualHost = EventBusAddress.VirtualHost(uri) };
        var endpoints = EventBusAddress.Nodes(connectionString).Select(node => AmqpTcpEndpoint.Parse(node)).ToList();
        for (var attempt = 1; !stoppingToken.IsCancellationRequested; attempt++)
        {
            try
            {
                await using var connection = await factory.CreateConnectionAsync(endpoints, "planetary-topology", stoppingToken);
                await using var channel = await connection.CreateChannelAsync(cancellationToken: stoppingToken);
                foreach (var queue in AllQueues())
                {
                    await channel.ExchangeDeclareAsync(queue, ExchangeType.Fanout, durable: true, autoDelete: false, cancellationToken: stoppingToken);
                    await channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false, ArgumentsOf(queue, Quorum), cancellationToken: stoppingToken);
                    await channel.QueueBindAsync(queue, queue, string.Empty, cancellationToken: stoppingToken);
                }

                _declared.TrySetResult();
                return;
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                if (attempt == 1 || attempt % 10 == 0)
                {
                    LogWaiting(e.Message);
                }

                await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(2_000, 200 * attempt)), time, stoppingToken);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Waiting for the broker to declare the fabric's queues: {Reason}")]
    private partial void LogWaiting(string reason);
}
