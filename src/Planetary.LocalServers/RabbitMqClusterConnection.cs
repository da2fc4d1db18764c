using System.Globalization;

namespace Planetary.LocalServers;

/// <summary>
/// The <c>eventbus</c> connection string of a RabbitMQ cluster: an AMQP URI for the first node whose <c>nodes</c>
/// query parameter lists every node, e.g. <c>amqp://guest:guest@127.0.0.1:5681/?nodes=127.0.0.1:5681,127.0.0.1:5682,127.0.0.1:5683</c>.
/// A client that reads only the URI's host and port still reaches the first node; one that reads <c>nodes</c> can
/// connect to any node that answers (MassTransit: <c>host.UseCluster(c =&gt; c.Node("host:port"))</c>).
/// </summary>
public static class RabbitMqClusterConnection
{
    /// <summary>The query parameter that lists the cluster's nodes as <c>host:port</c>, comma-separated (services read it with <c>EventBusAddress.Nodes</c>).</summary>
    public const string NodesParameter = "nodes";

    /// <summary>The connection string of the local cluster on these AMQP ports (guest account, loopback).</summary>
    public static string Format(IReadOnlyList<int> amqpPorts) =>
        $"amqp://guest:guest@{Loopback.Address}:{Invariant(amqpPorts[0])}/?{NodesParameter}=" +
        string.Join(',', amqpPorts.Select(port => $"{Loopback.Address}:{Invariant(port)}"));

    private static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);
}
