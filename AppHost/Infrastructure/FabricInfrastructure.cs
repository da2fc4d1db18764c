namespace Planetary.AppHost.Infrastructure;

/// <summary>
/// The fabric's two servers as resources with connection strings, whatever their origin:
/// <c>service.WithReference(infra.EventBus).WaitFor(infra.EventBus)</c>.
/// </summary>
/// <param name="EventBus">RabbitMQ, resource and connection string name <c>eventbus</c>.</param>
/// <param name="State">Redis, resource and connection string name <c>state</c>.</param>
/// <param name="Mode">The mode in effect (never <see cref="InfrastructureMode.Auto"/>).</param>
public sealed record FabricInfrastructure(
    IResourceBuilder<IResourceWithConnectionString> EventBus,
    IResourceBuilder<IResourceWithConnectionString> State,
    InfrastructureMode Mode)
{
    /// <summary>Name of the RabbitMQ resource and of its connection string.</summary>
    public const string EventBusName = "eventbus";

    /// <summary>Name of the Redis resource and of its connection string.</summary>
    public const string StateName = "state";
}
