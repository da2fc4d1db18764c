using Microsoft.Extensions.Configuration;

namespace Planetary.AppHost.Infrastructure;

/// <summary>
/// Servers the app host does not run (a RabbitMQ cluster, a replicated Redis, or servers started by a test):
/// connection strings from <c>ConnectionStrings:eventbus</c> and <c>ConnectionStrings:state</c>.
/// </summary>
internal static class ExternalInfrastructure
{
    public static FabricInfrastructure Add(IDistributedApplicationBuilder builder)
    {
        RequireConnectionString(builder, FabricInfrastructure.EventBusName);
        RequireConnectionString(builder, FabricInfrastructure.StateName);
        return new FabricInfrastructure(
            FabricServerGroup.Of(builder.AddConnectionString(FabricInfrastructure.EventBusName)),
            FabricServerGroup.Of(builder.AddConnectionString(FabricInfrastructure.StateName)),
            InfrastructureMode.External,
            InfrastructureTopology.Single);
    }

    private static void RequireConnectionString(IDistributedApplicationBuilder builder, string name)
    {
        if (string.IsNullOrWhiteSpace(builder.Configuration.GetConnectionString(name)))
        {
            throw new InvalidOperationException(
                $"{InfrastructureOptions.SectionName}:Mode is external but ConnectionStrings:{name} is not set.");
        }
    }
}
