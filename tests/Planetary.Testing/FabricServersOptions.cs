using Planetary.Testing.Local;

namespace Planetary.Testing;

/// <summary>Where <see cref="FabricServers"/> gets its servers from.</summary>
public enum FabricServersSource
{
    /// <summary>Containers when a container runtime answers, else local processes.</summary>
    Auto,

    /// <summary>Containers only; fails without a container runtime.</summary>
    Containers,

    /// <summary>Local child processes only (Debian's rabbitmq-server and redis-server).</summary>
    Local,
}

/// <summary>Options of <see cref="FabricServers.StartAsync"/>.</summary>
public sealed record FabricServersOptions
{
    /// <summary>Environment variable that overrides <see cref="Source"/>: <c>auto</c>, <c>containers</c> or <c>local</c>.</summary>
    public const string SourceVariable = "PLANETARY_TEST_SERVERS";

    /// <summary>Default: the <see cref="SourceVariable"/> environment variable, else <see cref="FabricServersSource.Auto"/>.</summary>
    public FabricServersSource Source { get; init; } = SourceFromEnvironment();

    /// <summary>Options of the local servers; their <see cref="LocalServerOptions.Output"/> also receives fallback notes.</summary>
    public LocalServerOptions Local { get; init; } = new();

    private static FabricServersSource SourceFromEnvironment() =>
        Environment.GetEnvironmentVariable(SourceVariable) is { Length: > 0 } value
            ? Enum.Parse<FabricServersSource>(value, ignoreCase: true)
            : FabricServersSource.Auto;
}
