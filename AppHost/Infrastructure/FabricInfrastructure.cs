namespace Planetary.AppHost.Infrastructure;

/// <summary>
/// The fabric's two servers, whatever their origin and topology: every service gets the connection strings
/// <c>eventbus</c> and <c>state</c> and waits for every server behind them (<see cref="Connect{T}"/>).
/// </summary>
/// <param name="EventBus">RabbitMQ: one resource, or the members of a cluster.</param>
/// <param name="State">Redis: one resource, or a primary, a replica and the Sentinels.</param>
/// <param name="Mode">The mode in effect (never <see cref="InfrastructureMode.Auto"/>).</param>
/// <param name="Topology">One server of each kind, or the clustered topology.</param>
public sealed record FabricInfrastructure(
    FabricServerGroup EventBus,
    FabricServerGroup State,
    InfrastructureMode Mode,
    InfrastructureTopology Topology)
{
    /// <summary>Name of the RabbitMQ resource and of its connection string.</summary>
    public const string EventBusName = "eventbus";

    /// <summary>Name of the Redis resource and of its connection string.</summary>
    public const string StateName = "state";

    /// <summary>Settings every service gets with this infrastructure (e.g. <c>Fabric__QuorumQueues</c> on a cluster).</summary>
    public IReadOnlyDictionary<string, string> ServiceSettings { get; init; } = new Dictionary<string, string>();

    /// <summary>Gives the service both connection strings and the settings, and makes it wait for every server.</summary>
    public IResourceBuilder<T> Connect<T>(IResourceBuilder<T> service)
        where T : IResourceWithEnvironment, IResourceWithWaitSupport
    {
        EventBus.Connect(service);
        State.Connect(service);
        foreach (var (key, value) in ServiceSettings)
        {
            service.WithEnvironment(key, value);
        }

        return service;
    }
}

/// <summary>
/// The servers behind one connection string: a single resource that owns the connection string, or several members
/// (a cluster) whose combined connection string is given to the services directly.
/// </summary>
public sealed class FabricServerGroup
{
    private FabricServerGroup(
        string connectionName,
        IResourceBuilder<IResourceWithConnectionString>? single,
        ReferenceExpression? connectionString,
        IReadOnlyList<IResourceBuilder<IResource>> members,
        IReadOnlyList<IResourceBuilder<IResource>> gates)
    {
        ConnectionName = connectionName;
        Single = single;
        ConnectionString = connectionString;
        Members = members;
        Gates = gates;
    }

    /// <summary>The connection string's name (<c>eventbus</c> or <c>state</c>).</summary>
    public string ConnectionName { get; }

    /// <summary>The one resource that serves it (single topology), else null.</summary>
    public IResourceBuilder<IResourceWithConnectionString>? Single { get; }

    /// <summary>The connection string of a cluster, else null.</summary>
    public ReferenceExpression? ConnectionString { get; }

    /// <summary>The servers the services wait for (healthy) whenever they start.</summary>
    public IReadOnlyList<IResourceBuilder<IResource>> Members { get; }

    /// <summary>
    /// One-shot checks the services wait for once (completed), e.g. "all three RabbitMQ nodes are in the cluster": a
    /// service restarted later does not wait again, so a dead cluster member never holds up a service's restart.
    /// </summary>
    public IReadOnlyList<IResourceBuilder<IResource>> Gates { get; }

    /// <summary>One server that owns its connection string (<c>WithReference</c> + <c>WaitFor</c>).</summary>
    public static FabricServerGroup Of(IResourceBuilder<IResourceWithConnectionString> server) =>
        new(server.Resource.Name, server, null, [server], []);

    /// <summary>Several servers behind one connection string.</summary>
    public static FabricServerGroup Cluster(
        string connectionName, ReferenceExpression connectionString, IReadOnlyList<IResourceBuilder<IResource>> members,
        IReadOnlyList<IResourceBuilder<IResource>> gates) =>
        new(connectionName, null, connectionString, members, gates);

    internal void Connect<T>(IResourceBuilder<T> service)
        where T : IResourceWithEnvironment, IResourceWithWaitSupport
    {
        if (Single is not null)
        {
            service.WithReference(Single).WaitFor(Single);
            return;
        }

        service.WithEnvironment($"ConnectionStrings__{ConnectionName}", ConnectionString!);
        foreach (var member in Members)
        {
            service.WaitFor(member);
        }

        foreach (var gate in Gates)
        {
            service.WaitForCompletion(gate);
        }
    }
}
