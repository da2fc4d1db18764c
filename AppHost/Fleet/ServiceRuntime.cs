namespace Planetary.AppHost.Fleet;

/// <summary>
/// The runtime setting the app host gives every fabric service but the routers: a small gen0 budget. The workstation
/// collector sizes gen0 from the processor's cache (here about 16 MB a process before its first collection); services
/// that each keep a few MB alive then hold mostly garbage. Measured on the whole fleet with every service lean
/// (docs/operations.md, "Memory per service"): 1,765 MB idle without it, 1,633 MB with 2 MB. The routers, the hot
/// path, keep the web SDK's throughput runtime. The runtime reads this setting only from the environment, not from a
/// service's runtimeconfig.json; the other lean settings are there (services/LeanRuntime.props, imported by the same
/// three services).
/// </summary>
public static class ServiceRuntime
{
    /// <summary>The runtime's variable for the smallest gen0 budget, in bytes (hexadecimal).</summary>
    public const string Gen0BudgetVariable = "DOTNET_GCgen0size";

    /// <summary>2 MB.</summary>
    public const string Gen0Budget = "0x200000";

    /// <summary>Adds the gen0 budget to a lean service's environment.</summary>
    public static IResourceBuilder<ProjectResource> WithLeanRuntime(this IResourceBuilder<ProjectResource> service) =>
        service.WithEnvironment(Gen0BudgetVariable, Gen0Budget);
}
