using System.Text;
using RabbitMQ.Client;
using StackExchange.Redis;

namespace Planetary.AppHost.Tests;

/// <summary>Puts a marker into each server and reads it back: a Redis key, and a persistent message in a durable queue.</summary>
internal static class ServerProbes
{
    public const string Queue = "apphost-durability-test";
    public const string Key = "apphost-durability-test";

    public static async Task WriteAsync(string redis, string rabbitMq, string marker)
    {
        await using (var connection = await ConnectionMultiplexer.ConnectAsync(redis))
        {
            Assert.True(await connection.GetDatabase().StringSetAsync(Key, marker));
        }

        await using var broker = await ConnectAsync(rabbitMq);
        await using var channel = await broker.CreateChannelAsync(new CreateChannelOptions(
            publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true));
        await channel.QueueDeclareAsync(Queue, durable: true, exclusive: false, autoDelete: false);
        await channel.BasicPublishAsync(string.Empty, Queue, mandatory: true,
            basicProperties: new BasicProperties { Persistent = true }, body: Encoding.UTF8.GetBytes(marker));
    }

    public static async Task<string?> ReadKeyAsync(string redis)
    {
        await using var connection = await ConnectionMultiplexer.ConnectAsync(redis);
        return await connection.GetDatabase().StringGetAsync(Key);
    }

    /// <summary>The message in the queue, left there (not acknowledged); null when the queue is empty or gone.</summary>
    public static async Task<string?> PeekMessageAsync(string rabbitMq)
    {
        await using var broker = await ConnectAsync(rabbitMq);
        await using var channel = await broker.CreateChannelAsync();
        try
        {
            await channel.QueueDeclarePassiveAsync(Queue);
        }
        catch (RabbitMQ.Client.Exceptions.OperationInterruptedException)
        {
            return null; // 404: the queue does not exist
        }

        var result = await channel.BasicGetAsync(Queue, autoAck: false);
        if (result is null)
        {
            return null;
        }

        await channel.BasicNackAsync(result.DeliveryTag, multiple: false, requeue: true);
        return Encoding.UTF8.GetString(result.Body.Span);
    }

    private static Task<IConnection> ConnectAsync(string connectionString) =>
        new ConnectionFactory { Uri = new Uri(connectionString) }.CreateConnectionAsync();
}
