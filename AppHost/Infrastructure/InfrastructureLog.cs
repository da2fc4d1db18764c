using Microsoft.Extensions.Logging;

namespace Planetary.AppHost.Infrastructure;

internal static partial class InfrastructureLog
{
    [LoggerMessage(Level = LogLevel.Information,
        Message = "Fabric infrastructure: {Mode} (configured {ConfiguredMode}; {Reason})")]
    public static partial void ModeChosen(ILogger logger, InfrastructureMode mode, InfrastructureMode configuredMode, string reason);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Local servers: RabbitMQ {EventBusConnection}, Redis {StateConnection}, state in {StateDirectory} (keep data: {KeepData})")]
    public static partial void LocalServersPrepared(
        ILogger logger, string eventBusConnection, string stateConnection, string stateDirectory, bool keepData);
}
