using System.Net;
using System.Net.Sockets;
using Planetary.LocalServers.Probes;

namespace Planetary.Testing.Tests;

/// <summary>The probes recognise their own protocol and nothing else.</summary>
[Collection(FabricServersCollection.Name)]
public sealed class ProbeTests(FabricServersFixture fixture)
{
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(2);

    [Fact(Timeout = TestTimeouts.TestMilliseconds)]
    public async Task Amqp_probe_accepts_the_broker_and_rejects_redis()
    {
        var (brokerHost, brokerPort) = Endpoint.OfAmqp(fixture.Servers.RabbitMqConnectionString);
        var (redisHost, redisPort) = Endpoint.OfRedis(fixture.Servers.RedisConnectionString);

        Assert.True(await AmqpProbe.IsReadyAsync(brokerHost, brokerPort, ProbeTimeout));
        Assert.False(await AmqpProbe.IsReadyAsync(redisHost, redisPort, ProbeTimeout));
    }

    [Fact(Timeout = TestTimeouts.TestMilliseconds)]
    public async Task Redis_probe_accepts_redis_and_rejects_the_broker()
    {
        var (brokerHost, brokerPort) = Endpoint.OfAmqp(fixture.Servers.RabbitMqConnectionString);
        var (redisHost, redisPort) = Endpoint.OfRedis(fixture.Servers.RedisConnectionString);

        Assert.True(await RedisProbe.IsReadyAsync(redisHost, redisPort, ProbeTimeout));
        Assert.False(await RedisProbe.IsReadyAsync(brokerHost, brokerPort, ProbeTimeout));
    }

    [Fact(Timeout = TestTimeouts.TestMilliseconds)]
    public async Task Probes_report_a_closed_port_as_not_ready()
    {
        var closedPort = ClosedLoopbackPort();

        Assert.False(await AmqpProbe.IsReadyAsync("127.0.0.1", closedPort, ProbeTimeout));
        Assert.False(await RedisProbe.IsReadyAsync("127.0.0.1", closedPort, ProbeTimeout));
        Assert.False(await EpmdProbe.IsReadyAsync("127.0.0.1", closedPort, ProbeTimeout));
    }

    [Fact(Timeout = TestTimeouts.TestMilliseconds)]
    public async Task Probes_report_a_silent_listener_as_not_ready()
    {
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var port = ((IPEndPoint)silent.LocalEndpoint).Port;

        Assert.False(await AmqpProbe.IsReadyAsync("127.0.0.1", port, TimeSpan.FromMilliseconds(300)));
        Assert.False(await RedisProbe.IsReadyAsync("127.0.0.1", port, TimeSpan.FromMilliseconds(300)));
    }

    private static int ClosedLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static class Endpoint
    {
        public static (string Host, int Port) OfAmqp(string connectionString)
        {
            var uri = new Uri(connectionString);
            return (uri.Host, uri.Port);
        }

        public static (string Host, int Port) OfRedis(string connectionString)
        {
            var hostAndPort = connectionString.Split(',')[0];
            var separator = hostAndPort.LastIndexOf(':');
            return (hostAndPort[..separator], int.Parse(hostAndPort[(separator + 1)..], System.Globalization.CultureInfo.InvariantCulture));
        }
    }
}
