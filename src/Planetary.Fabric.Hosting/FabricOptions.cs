namespace Planetary.Fabric.Hosting;

/// <summary>The <c>Fabric</c> configuration section every service reads (the app host sets it).</summary>
public sealed class FabricOptions
{
    public const string SectionName = "Fabric";

    /// <summary>Path of the owner manifest (the genesis: shards, nodes, templates, initial parameters).</summary>
    public string ManifestPath { get; set; } = "config/fabric.json";

    /// <summary>The shard a router serves.</summary>
    public string? ShardId { get; set; }

    /// <summary>The node an agent runs.</summary>
    public string? NodeId { get; set; }

    /// <summary>Seed of the agents' success draws.</summary>
    public ulong Seed { get; set; } = 42;

    /// <summary>Ticks between status reports to owner control.</summary>
    public int StatusIntervalTicks { get; set; } = 10;
}

/// <summary>Connection string names, as the app host's resources are named.</summary>
public static class ConnectionNames
{
    public const string EventBus = "eventbus";
    public const string State = "state";
}
