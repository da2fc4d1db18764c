using Planetary.LocalServers;

namespace Planetary.AppHost.Infrastructure;

/// <summary>A local RabbitMQ node as an executable resource that other resources can reference and wait for.</summary>
/// <param name="name">The resource name.</param>
/// <param name="layout">The node's files, ports and command line.</param>
/// <param name="connectionString">What the resource hands out: the node itself, or (for a cluster's first node) every node.</param>
internal sealed class LocalRabbitMqResource(string name, RabbitMqLocalLayout layout, string connectionString)
    : ExecutableResource(name, layout.ServerLaunch().FileName, layout.StateDirectory), IResourceWithConnectionString
{
    public RabbitMqLocalLayout Layout { get; } = layout;

    /// <inheritdoc />
    public ReferenceExpression ConnectionStringExpression => ReferenceExpression.Create($"{connectionString}");
}

/// <summary>A local Redis server (or Sentinel) as an executable resource that other resources can reference and wait for.</summary>
internal sealed class LocalRedisResource(string name, ServerLaunch launch, string directory, string connectionString)
    : ExecutableResource(name, launch.FileName, directory), IResourceWithConnectionString
{
    /// <inheritdoc />
    public ReferenceExpression ConnectionStringExpression => ReferenceExpression.Create($"{connectionString}");
}
