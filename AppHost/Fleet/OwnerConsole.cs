namespace Planetary.AppHost.Fleet;

/// <summary>The owner console (served by owner-control at its root) as the dashboard shows it.</summary>
internal static class OwnerConsole
{
    /// <summary>
    /// Names owner-control's endpoint "Owner console" in the dashboard's URL column (the console is at its root) and
    /// adds the OpenAPI document; tells owner-control where the dashboard is, so the console links a job to its trace.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithOwnerConsole(this IResourceBuilder<ProjectResource> ownerControl, IDistributedApplicationBuilder builder)
    {
        ownerControl
            .WithUrlForEndpoint("http", url => url.DisplayText = "Owner console")
            .WithUrlForEndpoint("http", endpoint => new ResourceUrlAnnotation { Url = "/openapi/v1.json", DisplayText = "Owner API (OpenAPI)" });

        if (DashboardUrl(builder) is { } dashboard)
        {
            ownerControl.WithEnvironment(FleetEnvironment.DashboardUrl, dashboard);
        }

        return ownerControl;
    }

    /// <summary>The dashboard's first address (<c>ASPNETCORE_URLS</c> of the app host), if it has one.</summary>
    private static string? DashboardUrl(IDistributedApplicationBuilder builder) =>
        builder.Configuration["ASPNETCORE_URLS"]?.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .FirstOrDefault(url => Uri.TryCreate(url, UriKind.Absolute, out _));
}
