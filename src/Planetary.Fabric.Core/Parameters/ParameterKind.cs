namespace Planetary.Fabric.Parameters;

/// <summary>The type of an owner parameter's value.</summary>
public enum ParameterKind
{
    Integer,
    Number,
    Boolean,

    /// <summary>A list of shard ids (canonical text: comma-separated).</summary>
    ShardList,

    /// <summary>A list of capability names (canonical text: comma-separated).</summary>
    CapabilityList,
}

/// <summary>Which part of the manifest a parameter belongs to, and so what its path's middle segment names.</summary>
public enum ParameterScope
{
    /// <summary><c>section.name</c>, e.g. <c>routers.spilloverBatch</c>.</summary>
    Fabric,

    /// <summary><c>shards.{shardId}.name</c>.</summary>
    Shard,

    /// <summary><c>nodes.{nodeId}.name</c>.</summary>
    Node,

    /// <summary><c>jobTemplates.{templateName}.name</c>.</summary>
    Template,
}

/// <summary>The services that act on a parameter when it changes.</summary>
[Flags]
public enum ParameterAppliers
{
    None = 0,
    Routers = 1,
    NodeAgents = 2,
    Checkpointer = 4,
    Drills = 8,
}
