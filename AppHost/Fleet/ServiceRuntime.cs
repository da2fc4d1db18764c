namespace Planetary.AppHost.Fleet;

/// <summary>
/// The runtime setting every fabric service gets from the app host: a small gen0 budget. The workstation collector
/// sizes gen0 from the processor's cache (here about 16 MB a process before its first collection); twelve services
/// that each keep a few MB alive then hold mostly garbage. Measured on the whole fleet (docs/operations.md, "Memory"):
/// 1,765 MB idle without it, 1,633 MB with 2 MB, with no loss of zero-duration throughput. The runtime reads this
/// setting only from the environment, not from a service's runtimeconfig.json; the other memory settings are there
/// (services/Directory.Build.props).
/// </summary>
public static class ServiceRuntime
{
    /// <summary>The runtime's variable for the smallest gen0 budget, in bytes (hexadecimal).</summary>
    public const string Gen0BudgetVariable = "DOTNET_GCgen0size";

    /// <summary>2 MB.</summary>
    public const string Gen0Budget = "0x200000";

    /// <summary>Adds the gen0 budget to the service's environment.</summary>
    public static IResourceBuilder<ProjectResource> WithLeanRuntime(this IResourceBuilder<ProjectResource> service) =>
        service.WithEnvironment(Gen0BudgetVariable, Gen0Budget);
}
