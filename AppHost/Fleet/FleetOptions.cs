namespace Planetary.AppHost.Fleet;

/// <summary>The <c>Fabric</c> configuration section of the app host.</summary>
public sealed class FabricOptions
{
    /// <summary>The configuration section these options bind to.</summary>
    public const string SectionName = "Fabric";

    /// <summary>
    /// The owner manifest; default <c>config/fabric.json</c> in the repository. A relative path is taken from the
    /// current directory. Every service receives the absolute path as <c>Fabric__ManifestPath</c>.
    /// </summary>
    public string? ManifestPath { get; set; }
}

/// <summary>The <c>OwnerControl</c> configuration section of the app host.</summary>
public sealed class OwnerControlOptions
{
    /// <summary>The configuration section these options bind to.</summary>
    public const string SectionName = "OwnerControl";

    /// <summary>The documented default port of the owner's API: http://127.0.0.1:5080.</summary>
    public const int DefaultPort = 5080;

    /// <summary>Loopback port of the owner's API; 0 lets Aspire pick one (tests that run several app hosts).</summary>
    public int Port { get; set; } = DefaultPort;

    /// <summary>Throws when the port is out of range.</summary>
    public void Validate()
    {
        if (Port is < 0 or > 65535)
        {
            throw new InvalidOperationException($"{SectionName}:Port must be 0..65535 (0 = let Aspire pick).");
        }
    }
}
