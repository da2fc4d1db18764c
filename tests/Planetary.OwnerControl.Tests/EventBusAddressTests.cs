using Planetary.Fabric.Hosting.Messaging;

namespace Planetary.OwnerControl.Tests;

/// <summary>How every service reads the <c>eventbus</c> connection string: one broker, or the nodes of a cluster.</summary>
public sealed class EventBusAddressTests
{
    [Fact]
    public void A_cluster_connection_string_names_every_node() =>
        Assert.Equal(
            ["127.0.0.1:5681", "127.0.0.1:5682", "127.0.0.1:5683"],
            EventBusAddress.Nodes("amqp://guest:guest@127.0.0.1:5681/?nodes=127.0.0.1:5681,127.0.0.1:5682,127.0.0.1:5683"));

    [Fact]
    public void A_single_broker_is_its_own_only_node() =>
        Assert.Equal(["127.0.0.1:5673"], EventBusAddress.Nodes("amqp://guest:guest@127.0.0.1:5673"));

    [Fact]
    public void Credentials_and_virtual_host_come_from_the_uri()
    {
        var uri = new Uri("amqp://fabric:s%40cret@host:5672/planetary");

        Assert.Equal(("fabric", "s@cret"), EventBusAddress.Credentials(uri));
        Assert.Equal("planetary", EventBusAddress.VirtualHost(uri));
        Assert.Equal("/", EventBusAddress.VirtualHost(new Uri("amqp://host:5672")));
    }
}
