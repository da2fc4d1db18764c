using Microsoft.Extensions.Logging;

namespace Planetary.AppHost.Infrastructure;

internal static partial class InfrastructureLog
{
    [LoggerMessage(Level = LogLevel.Information,
        Message = "Fabric infrastructure: {Mode}, {Topology} (configured {ConfiguredMode}; {Reason})")]
    public static partial void ModeChosen(
        ILogger logger, InfrastructureMode mode, InfrastructureTopology topology, InfrastructureMode configuredMode, string reason);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Local servers: RabbitMQ {EventBusConnection}, Redis {StateConnection}; their data is kept in {StateDirectory}")]
    public static partial void LocalServersPrepared(ILogger logger, string eventBusConnection, string stateConnection, string stateDirectory);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Containers: RabbitMQ image {RabbitMqImage}, Redis image {RedisImage} on {Runtime}; their data is kept in volumes {Volumes}")]
    public static partial void ContainersPrepared(ILogger logger, string rabbitMqImage, string redisImage, string runtime, string volumes);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Cluster: RabbitMQ nodes {EventBusConnection}; Redis through Sentinels {StateConnection}; their data is kept in {StateDirectory}")]
    public static partial void ClusterPrepared(ILogger logger, string eventBusConnection, string stateConnection, string stateDirectory);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Wipe (Infrastructure:Wipe=true): deleting {Server} data in {Location}: {Contents}")]
    public static partial void Wiping(ILogger logger, string server, string location, string contents);

    [LoggerMessage(Level = LogLevel.Information, Message = "Wipe: no {Server} data at {Location}")]
    public static partial void NothingToWipe(ILogger logger, string server, string location);
}
