using System.Text;
using System.Text.Json;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace Planetary.OwnerControl.Tests;

/// <summary>
/// Looks into RabbitMQ the way the services see it: takes MassTransit envelopes off a service's queue, subscribes a
/// temporary queue to a published event, and publishes reports as a service would.
/// </summary>
public sealed class Broker : IAsyncDisposable
{
    private const string ContractsNamespace = "Planetary.Contracts";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly IConnection _connection;
    private IChannel _channel;

    private Broker(IConnection connection, IChannel channel)
    {
        _connection = connection;
        _channel = channel;
    }

    public static async Task<Broker> ConnectAsync(string connectionString, CancellationToken cancellationToken)
    {
        var connection = await new ConnectionFactory { Uri = new Uri(connectionString) }.CreateConnectionAsync("owner-control tests", cancellationToken);
        return new Broker(connection, await connection.CreateChannelAsync(cancellationToken: cancellationToken));
    }

    /// <summary>MassTransit's exchange for a message type (<c>Planetary.Contracts:Name</c>).</summary>
    public static string ExchangeOf<T>() => $"{ContractsNamespace}:{typeof(T).Name}";

    /// <summary>A temporary queue that receives every <typeparamref name="T"/> published from now on.</summary>
    public async Task<string> SubscribeAsync<T>(CancellationToken cancellationToken)
    {
        await _channel.ExchangeDeclareAsync(ExchangeOf<T>(), ExchangeType.Fanout, durable: true, autoDelete: false, cancellationToken: cancellationToken);
        var queue = (await _channel.QueueDeclareAsync(string.Empty, durable: false, exclusive: true, autoDelete: true, cancellationToken: cancellationToken)).QueueName;
        await _channel.QueueBindAsync(queue, ExchangeOf<T>(), string.Empty, cancellationToken: cancellationToken);
        return queue;
    }

    /// <summary>
    /// Takes messages off <paramref name="queue"/> until a <typeparamref name="T"/> matching <paramref name="match"/>
    /// arrives (others are dropped), and returns its <c>message</c> part.
    /// </summary>
    public async Task<JsonElement> TakeAsync<T>(string queue, Func<JsonElement, bool> match, CancellationToken cancellationToken)
    {
        var urn = $"urn:message:{ContractsNamespace}:{typeof(T).Name}";
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(TestTimeouts.Arrival);
        while (true)
        {
            var got = await GetAsync(queue, deadline.Token);
            if (got is null)
            {
                try
                {
                    await Task.Delay(50, deadline.Token);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    throw new TimeoutException($"No {typeof(T).Name} matching the test arrived on {queue} within {TestTimeouts.Arrival}.");
                }

                continue;
            }

            using var envelope = JsonDocument.Parse(got);
            var types = envelope.RootElement.GetProperty("messageType").EnumerateArray().Select(t => t.GetString());
            var message = envelope.RootElement.GetProperty("message");
            if (types.Contains(urn) && match(message))
            {
                return message.Clone();
            }
        }
    }

    /// <summary>Messages waiting in a queue (0 when it does not exist).</summary>
    public async Task<uint> DepthAsync(string queue, CancellationToken cancellationToken)
    {
        try
        {
            return (await _channel.QueueDeclarePassiveAsync(queue, cancellationToken)).MessageCount;
        }
        catch (OperationInterruptedException e) when (e.ShutdownReason?.ReplyCode == 404)
        {
            await ReopenAsync(cancellationToken);
            return 0;
        }
    }

    /// <summary>Drops everything waiting in a queue (nothing when it does not exist).</summary>
    public async Task PurgeAsync(string queue, CancellationToken cancellationToken)
    {
        if (await DepthAsync(queue, cancellationToken) > 0)
        {
            await _channel.QueuePurgeAsync(queue, cancellationToken);
        }
    }

    /// <summary>Publishes <paramref name="message"/> as MassTransit would, so the services' consumers take it.</summary>
    public async Task PublishAsync<T>(T message, CancellationToken cancellationToken)
    {
        await _channel.ExchangeDeclareAsync(ExchangeOf<T>(), ExchangeType.Fanout, durable: true, autoDelete: false, cancellationToken: cancellationToken);
        var envelope = new
        {
            messageId = Guid.NewGuid(),
            conversationId = Guid.NewGuid(),
            messageType = new[] { $"urn:message:{ContractsNamespace}:{typeof(T).Name}" },
            message,
            sentTime = DateTimeOffset.UtcNow,
            headers = new Dictionary<string, object>(),
        };
        var properties = new BasicProperties { ContentType = "application/vnd.masstransit+json", Persistent = true, MessageId = envelope.messageId.ToString() };
        await _channel.BasicPublishAsync(ExchangeOf<T>(), string.Empty, false, properties, JsonSerializer.SerializeToUtf8Bytes(envelope, Json), cancellationToken);
    }

    /// <summary>Puts a plain message into a (durable) queue, e.g. to make an error queue non-empty.</summary>
    public async Task PutAsync(string queue, string body, CancellationToken cancellationToken)
    {
        await _channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false, cancellationToken: cancellationToken);
        await _channel.BasicPublishAsync(string.Empty, queue, false, new BasicProperties { Persistent = true }, Encoding.UTF8.GetBytes(body), cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await _channel.DisposeAsync();
        await _connection.DisposeAsync();
    }

    private async Task<string?> GetAsync(string queue, CancellationToken cancellationToken)
    {
        try
        {
            var result = await _channel.BasicGetAsync(queue, autoAck: true, cancellationToken);
            return result is null ? null : Encoding.UTF8.GetString(result.Body.Span);
        }
        catch (OperationInterruptedException e) when (e.ShutdownReason?.ReplyCode == 404)
        {
            await ReopenAsync(cancellationToken); // the queue does not exist yet: MassTransit creates it with the first send
            return null;
        }
    }

    private async Task ReopenAsync(CancellationToken cancellationToken)
    {
        await _channel.DisposeAsync();
        _channel = await _connection.CreateChannelAsync(cancellationToken: cancellationToken);
    }
}
