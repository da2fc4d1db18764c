using Planetary.LocalServers;

namespace Planetary.AppHost.Infrastructure;

/// <summary>The local RabbitMQ node as an executable resource that other resources can reference and wait for.</summary>
internal sealed class LocalRabbitMqResource(string name, RabbitMqLocalLayout layout)
    : ExecutableResource(name, layout.ServerLaunch().FileName, layout.StateDirectory), IResourceWithConnectionString
{
    public RabbitMqLocalLayout Layout { get; } = layout;

    /// <inheritdoc />
    public ReferenceExpression ConnectionStringExpression => ReferenceExpression.Create($"{Layout.ConnectionString}");
}

/// <summary>The local Redis server as an executable resource that other resources can reference and wait for.</summary>
internal sealed class LocalRedisResource(string name, RedisLocalLayout layout)
    : ExecutableResource(name, layout.ServerLaunch().FileName, layout.DataDirectory), IResourceWithConnectionString
{
    public RedisLocalLayout Layout { get; } = layout;

    /// <inheritdoc />
    public ReferenceExpression ConnectionStringExpression => ReferenceExpression.Create($"{Layout.ConnectionString}");
}
