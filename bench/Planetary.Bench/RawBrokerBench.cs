using System.Diagnostics;
using RabbitMQ.Client;

namespace Planetary.Bench;

/// <summary>
/// The reference for the fabric's own rate: persistent messages with publisher confirms per second on the fleet's
/// broker, through the client library MassTransit uses (RabbitMQ.Client), to a durable queue of the bench's own that is
/// deleted afterwards. Two ways of waiting for the confirms: one message at a time (each publish awaits its confirm), and
/// pipelined (up to <see cref="InFlight"/> publishes awaiting their confirms at once).
/// </summary>
public static class RawBrokerBench
{
    /// <summary>Publishes in flight at once in the pipelined run.</summary>
    public const int InFlight = 256;

    /// <summary>The body of each message: about the size of a one-job assignment as the fabric sends it.</summary>
    private const int BodyBytes = 600;

    public sealed record Rates(double OneAtATime, double Pipelined);

    public static async Task<Rates> RunAsync(int messages)
    {
        var factory = new ConnectionFactory { Uri = new Uri(BenchFleet.ServiceConnectionString("eventbus")) };
        await using var connection = await factory.CreateConnectionAsync("planetary-bench raw-rabbitmq");
        var options = new CreateChannelOptions(
            publisherConfirmationsEnabled: true,
            publisherConfirmationTrackingEnabled: true,
            outstandingPublisherConfirmationsRateLimiter: new ThrottlingRateLimiter(InFlight));
        await using var channel = await connection.CreateChannelAsync(options);
        var queue = $"planetary-bench-raw-{Guid.NewGuid():N}";
        await channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false);
        try
        {
            var body = new byte[BodyBytes];
            var properties = new BasicProperties { Persistent = true, ContentType = "application/json" };

            var oneAtATime = Stopwatch.StartNew();
            var sequential = Math.Max(1, messages / 10);
            for (var i = 0; i < sequential; i++)
            {
                await channel.BasicPublishAsync("", queue, mandatory: true, properties, body);
            }

            var oneRate = sequential / oneAtATime.Elapsed.TotalSeconds;
            Console.WriteLine($"raw-rabbitmq: {sequential} persistent messages, each awaiting its confirm: {oneRate:F0} msg/s");
            await channel.QueuePurgeAsync(queue);

            var pipelined = Stopwatch.StartNew();
            var pending = new Queue<Task>(InFlight);
            for (var i = 0; i < messages; i++)
            {
                if (pending.Count == InFlight)
                {
                    await pending.Dequeue();
                }

                pending.Enqueue(channel.BasicPublishAsync("", queue, mandatory: true, properties, body).AsTask());
            }

            await Task.WhenAll(pending);
            var pipelinedRate = messages / pipelined.Elapsed.TotalSeconds;
            Console.WriteLine($"raw-rabbitmq: {messages} persistent messages, up to {InFlight} awaiting confirms at once: {pipelinedRate:F0} msg/s");
            return new Rates(oneRate, pipelinedRate);
        }
        finally
        {
            await channel.QueueDeleteAsync(queue);
        }
    }
}
