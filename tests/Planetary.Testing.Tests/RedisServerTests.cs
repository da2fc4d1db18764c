using StackExchange.Redis;

namespace Planetary.Testing.Tests;

[Collection(FabricServersCollection.Name)]
public sealed class RedisServerTests(FabricServersFixture fixture)
{
    private static readonly TimeSpan RetryInterval = TimeSpan.FromMilliseconds(100);

    private FabricServers Servers => fixture.Servers;

    [Fact(Timeout = TestTimeouts.TestMilliseconds)]
    public async Task Set_value_is_read_back()
    {
        using var deadline = new CancellationTokenSource(TestTimeouts.Operation);
        await using var redis = await ConnectAsync(deadline.Token);
        var key = NewKey();

        Assert.True(await redis.GetDatabase().StringSetAsync(key, "checkpoint-7"));

        Assert.Equal("checkpoint-7", (string?)await redis.GetDatabase().StringGetAsync(key));
    }

    [Fact(Timeout = TestTimeouts.TestMilliseconds)]
    public async Task Graceful_restart_keeps_data_and_the_client_reconnects()
    {
        using var deadline = new CancellationTokenSource(TestTimeouts.Operation);
        await using var redis = await ConnectAsync(deadline.Token);
        var key = NewKey();
        Assert.True(await redis.GetDatabase().StringSetAsync(key, "journal-42"));

        await Servers.RestartRedisAsync(ServerStopMode.Graceful, deadline.Token);

        var value = await RetryUntilConnectedAsync(() => redis.GetDatabase().StringGetAsync(key), deadline.Token);
        Assert.Equal("journal-42", (string?)value);
    }

    [Fact(Timeout = TestTimeouts.TestMilliseconds)]
    public async Task Restart_does_not_invent_data()
    {
        using var deadline = new CancellationTokenSource(TestTimeouts.Operation);
        await using var redis = await ConnectAsync(deadline.Token);
        var key = NewKey();

        await Servers.RestartRedisAsync(ServerStopMode.Graceful, deadline.Token);

        var value = await RetryUntilConnectedAsync(() => redis.GetDatabase().StringGetAsync(key), deadline.Token);
        Assert.True(value.IsNull);
    }

    private static string NewKey() => $"test:{Guid.NewGuid():N}";

    private async Task<ConnectionMultiplexer> ConnectAsync(CancellationToken cancellationToken)
    {
        var options = ConfigurationOptions.Parse(Servers.RedisConnectionString);
        options.AbortOnConnectFail = false;
        return await ConnectionMultiplexer.ConnectAsync(options).WaitAsync(cancellationToken);
    }

    /// <summary>Repeats a command while the multiplexer is still reconnecting after a restart.</summary>
    private static async Task<T> RetryUntilConnectedAsync<T>(Func<Task<T>> command, CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                return await command().WaitAsync(cancellationToken);
            }
            catch (Exception exception) when (exception is RedisConnectionException or RedisTimeoutException)
            {
                await Task.Delay(RetryInterval, cancellationToken);
            }
        }
    }
}
