namespace Planetary.LocalServers;

/// <summary>What the nodes of one local RabbitMQ cluster share.</summary>
/// <param name="Cookie">The Erlang cookie every node and <c>rabbitmqctl</c> use (letters and digits).</param>
/// <param name="NodeNames">Every member's node name (<see cref="RabbitMqLocalLayout.NodeNameFor"/>), this node included.</param>
public sealed record RabbitMqClusterPeers(string Cookie, IReadOnlyList<string> NodeNames);
