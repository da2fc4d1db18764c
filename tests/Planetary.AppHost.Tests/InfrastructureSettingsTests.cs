using Planetary.AppHost.Infrastructure;
using Planetary.LocalServers;

namespace Planetary.AppHost.Tests;

/// <summary>The pieces of the infrastructure settings that need no server: image references, cluster strings, port rules.</summary>
public sealed class InfrastructureSettingsTests
{
    [Theory]
    [InlineData("localhost/planetary-rabbitmq:3.10.8-debian12", "localhost", "planetary-rabbitmq", "3.10.8-debian12")]
    [InlineData("rabbitmq:3.13-alpine", null, "rabbitmq", "3.13-alpine")]
    [InlineData("docker.io/library/redis", "docker.io", "library/redis", "latest")]
    [InlineData("registry.example:5000/team/redis:7", "registry.example:5000", "team/redis", "7")]
    [InlineData("team/redis:7", null, "team/redis", "7")]
    public void An_image_reference_splits_into_registry_image_and_tag(string reference, string? registry, string image, string tag)
    {
        var parsed = ContainerImage.Parse(reference);
        Assert.Equal(new ContainerImage(registry, image, tag), parsed);
        Assert.Equal($"{(registry is null ? "" : registry + "/")}{image}:{tag}", parsed.ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("redis@sha256:abc")]
    public void A_reference_it_cannot_represent_is_refused(string reference) =>
        Assert.Throws<FormatException>(() => ContainerImage.Parse(reference));

    [Fact]
    public void The_cluster_connection_string_names_every_node_and_still_reads_as_the_first_node()
    {
        var connection = RabbitMqClusterConnection.Format([5681, 5682, 5683]);
        Assert.Equal("amqp://guest:guest@127.0.0.1:5681/?nodes=127.0.0.1:5681,127.0.0.1:5682,127.0.0.1:5683", connection); // read by EventBusAddress.Nodes
        var uri = new Uri(connection);
        Assert.Equal(("127.0.0.1", 5681, "/"), (uri.Host, uri.Port, uri.AbsolutePath)); // what a single-node client reads
    }

    [Fact]
    public void Cluster_ports_must_be_three_brokers_two_redis_three_sentinels_and_distinct()
    {
        new ClusterInfrastructureOptions().Validate();
        Assert.Throws<InvalidOperationException>(() => new ClusterInfrastructureOptions { RedisPorts = [6391] }.Validate());
        Assert.Throws<InvalidOperationException>(() => new ClusterInfrastructureOptions { SentinelPorts = [26391, 26391, 26393] }.Validate());
        Assert.Throws<InvalidOperationException>(() => new ClusterInfrastructureOptions { JournalReplicaAcks = 2 }.Validate());
    }

    [Fact]
    public void Free_ports_are_distinct_and_below_the_ephemeral_range()
    {
        var ports = FreeLoopbackPorts.Take(20);
        Assert.Equal(20, ports.Distinct().Count());
        var ephemeralStart = int.Parse(File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range").Split('\t', ' ')[0], System.Globalization.CultureInfo.InvariantCulture);
        Assert.All(ports, port => Assert.InRange(port, 10_000, ephemeralStart - 1));
    }
}
