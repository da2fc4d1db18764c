namespace Planetary.LocalServers;

/// <summary>The three loopback ports one local RabbitMQ node needs.</summary>
/// <param name="Amqp">AMQP 0-9-1 listener (clients connect here).</param>
/// <param name="Distribution">Erlang distribution listener (CLI tools talk to the node here).</param>
/// <param name="Epmd">The node's private Erlang port mapper.</param>
public sealed record RabbitMqPorts(int Amqp, int Distribution, int Epmd);
