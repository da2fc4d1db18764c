namespace Planetary.AppHost.Fleet;

/// <summary>The environment variables the app host gives the services (configuration keys with <c>__</c>).</summary>
public static class FleetEnvironment
{
    /// <summary>Absolute path of the owner manifest (every service): <c>Fabric:ManifestPath</c>.</summary>
    public const string ManifestPath = "Fabric__ManifestPath";

    /// <summary>The shard a router serves: <c>Fabric:ShardId</c>.</summary>
    public const string ShardId = "Fabric__ShardId";

    /// <summary>The node an agent runs, exactly as in the manifest: <c>Fabric:NodeId</c>.</summary>
    public const string NodeId = "Fabric__NodeId";

    /// <summary>The bearer token owner-control accepts: <c>OwnerControl:Token</c>.</summary>
    public const string OwnerToken = "OwnerControl__Token";

    /// <summary>Where owner-control writes drill reports (the repository's <c>reports/</c>): <c>Drills:ReportsDirectory</c>.</summary>
    public const string ReportsDirectory = "Drills__ReportsDirectory";

    /// <summary>The Aspire dashboard's address, for the owner console's links to traces: <c>OwnerControl:DashboardUrl</c>.</summary>
    public const string DashboardUrl = "OwnerControl__DashboardUrl";
}
