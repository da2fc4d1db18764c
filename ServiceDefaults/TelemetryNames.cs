namespace Microsoft.Extensions.Hosting;

/// <summary>Activity sources and meters every service exports.</summary>
public static class TelemetryNames
{
    /// <summary>MassTransit's own activity source and meter (send, publish, consume spans; bus metrics).</summary>
    public const string MassTransit = "MassTransit";

    /// <summary>
    /// Every <c>Planetary.&lt;Service&gt;</c> source and meter. The owning code creates them by name;
    /// the wildcard registers them all without a list to keep in sync.
    /// </summary>
    public const string PlanetaryWildcard = "Planetary.*";
}
