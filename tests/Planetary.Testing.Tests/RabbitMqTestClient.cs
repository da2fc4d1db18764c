using System.Text;
using RabbitMQ.Client;

namespace Planetary.Testing.Tests;

/// <summary>A RabbitMQ.Client connection with automatic recovery and a confirming channel.</summary>
internal sealed class RabbitMqTestClient : IAsyncDisposable
{
    private readonly TaskCompletionSource _recovered = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private RabbitMqTestClient(IConnection connection, IChannel channel)
    {
        Connection = connection;
        Channel = channel;
        connection.RecoverySucceededAsync += (_, _) =>
        {
            _recovered.TrySetResult();
            return Task.CompletedTask;
        };
    }

    public IConnection Connection { get; }

    public IChannel Channel { get; }

    /// <summary>Completes when the connection has recovered from a broker outage.</summary>
    public Task Recovered => _recovered.Task;

    public static async Task<RabbitMqTestClient> ConnectAsync(string connectionString, CancellationToken cancellationToken)
    {
        var factory = new ConnectionFactory
        {
            Uri = new Uri(connectionString),
            AutomaticRecoveryEnabled = true,
            // The queues are durable: what a restarted broker holds must be what it kept itself. With topology recovery
            // the client would declare the queue again as soon as the listener opens, possibly before the broker has
            // recovered it from disk (a kill under load once left this test an empty queue).
            TopologyRecoveryEnabled = false,
            NetworkRecoveryInterval = TimeSpan.FromMilliseconds(250),
        };
        var connection = await factory.CreateConnectionAsync(cancellationToken);
        var channel = await connection.CreateChannelAsync(
            new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true),
            cancellationToken);
        return new RabbitMqTestClient(connection, channel);
    }

    public async Task<string> DeclareDurableQueueAsync(CancellationToken cancellationToken)
    {
        var queue = $"test-{Guid.NewGuid():N}";
        await Channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false, cancellationToken: cancellationToken);
        return queue;
    }

    /// <summary>Publishes a persistent message and returns once the broker confirmed it.</summary>
    public async Task PublishPersistentAsync(string queue, string text, CancellationToken cancellationToken)
    {
        var properties = new BasicProperties { Persistent = true };
        await Channel.BasicPublishAsync(
            exchange: string.Empty, routingKey: queue, mandatory: true, basicProperties: properties,
            body: Encoding.UTF8.GetBytes(text), cancellationToken: cancellationToken);
    }

    /// <summary>Takes one message off the queue (acknowledged), or null when the queue is empty.</summary>
    public async Task<string?> GetAsync(string queue, CancellationToken cancellationToken)
    {
        var result = await Channel.BasicGetAsync(queue, autoAck: true, cancellationToken);
        return result is null ? null : Encoding.UTF8.GetString(result.Body.Span);
    }

    public async ValueTask DisposeAsync()
    {
        await Channel.DisposeAsync();
        await Connection.DisposeAsync();
    }
}
