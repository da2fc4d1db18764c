using System.Text;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace Planetary.Testing.Tests;

[Collection(FabricServersCollection.Name)]
public sealed class RabbitMqServerTests(FabricServersFixture fixture)
{
    private FabricServers Servers => fixture.Servers;

    [Fact(Timeout = TestTimeouts.TestMilliseconds)]
    public async Task Published_message_is_delivered_to_a_consumer()
    {
        using var deadline = new CancellationTokenSource(TestTimeouts.Operation);
        await using var client = await RabbitMqTestClient.ConnectAsync(Servers.RabbitMqConnectionString, deadline.Token);
        var queue = await client.DeclareDurableQueueAsync(deadline.Token);
        var delivered = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var consumer = new AsyncEventingBasicConsumer(client.Channel);
        consumer.ReceivedAsync += (_, delivery) =>
        {
            delivered.TrySetResult(Encoding.UTF8.GetString(delivery.Body.Span));
            return Task.CompletedTask;
        };
        await client.Channel.BasicConsumeAsync(queue, autoAck: true, consumer, deadline.Token);

        await client.PublishPersistentAsync(queue, "job-1", deadline.Token);

        Assert.Equal("job-1", await delivered.Task.WaitAsync(deadline.Token));
    }

    [Fact(Timeout = TestTimeouts.TestMilliseconds)]
    public async Task Graceful_restart_keeps_durable_messages_and_the_client_reconnects()
    {
        using var deadline = new CancellationTokenSource(TestTimeouts.Operation);
        await using var client = await RabbitMqTestClient.ConnectAsync(Servers.RabbitMqConnectionString, deadline.Token);
        var queue = await client.DeclareDurableQueueAsync(deadline.Token);
        await client.PublishPersistentAsync(queue, "before-restart", deadline.Token);

        await Servers.RestartRabbitMqAsync(ServerStopMode.Graceful, deadline.Token);
        await client.Recovered.WaitAsync(deadline.Token);

        Assert.Equal("before-restart", await client.GetAsync(queue, deadline.Token));
        await client.PublishPersistentAsync(queue, "after-restart", deadline.Token);
        Assert.Equal("after-restart", await client.GetAsync(queue, deadline.Token));
        Assert.Null(await client.GetAsync(queue, deadline.Token));
    }

    [Fact(Timeout = TestTimeouts.TestMilliseconds)]
    public async Task Killed_broker_keeps_confirmed_persistent_messages()
    {
        using var deadline = new CancellationTokenSource(TestTimeouts.Operation);
        await using var client = await RabbitMqTestClient.ConnectAsync(Servers.RabbitMqConnectionString, deadline.Token);
        var queue = await client.DeclareDurableQueueAsync(deadline.Token);
        for (var i = 0; i < 10; i++)
        {
            await client.PublishPersistentAsync(queue, $"confirmed-{i}", deadline.Token);
        }

        await Servers.RestartRabbitMqAsync(ServerStopMode.Kill, deadline.Token);
        await client.Recovered.WaitAsync(deadline.Token);

        // After a kill the broker reloads the queue from disk: the first message may take a moment to be readable.
        var first = await client.GetAsync(queue, deadline.Token);
        for (var wait = 0; first is null && wait < 100; wait++)
        {
            await Task.Delay(100, deadline.Token);
            first = await client.GetAsync(queue, deadline.Token);
        }

        Assert.Equal("confirmed-0", first);
        for (var i = 1; i < 10; i++)
        {
            Assert.Equal($"confirmed-{i}", await client.GetAsync(queue, deadline.Token));
        }
    }
}
