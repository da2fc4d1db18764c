namespace Planetary.Testing.Local;

/// <summary>Options shared by the local (child-process) servers.</summary>
public sealed record LocalServerOptions
{
    /// <summary>Receives every output line of the server, prefixed with its name (e.g. test output).</summary>
    public Action<string>? Output { get; init; }

    /// <summary>Parent of the servers' private directories; default: <c>$TMPDIR/planetary-servers</c>.</summary>
    public string? StateRoot { get; init; }

    /// <summary>How long a (re)start may take until the server answers its protocol.</summary>
    public TimeSpan ReadinessTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How long a graceful stop may take before the process is killed.</summary>
    public TimeSpan StopGracePeriod { get; init; } = TimeSpan.FromSeconds(15);
}
