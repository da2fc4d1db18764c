using Microsoft.Extensions.Options;
using Planetary.OwnerControl.Parameters;

namespace Planetary.OwnerControl.Apis;

/// <summary>What the owner console needs to know about its surroundings.</summary>
/// <param name="DashboardUrl">The Aspire dashboard (null when owner control runs without one).</param>
/// <param name="TraceUrlTemplate">A job's trace in the dashboard, with <c>{traceId}</c> to fill in (null without a dashboard).</param>
public sealed record ConsoleInfo(string Fabric, string? DashboardUrl, string? TraceUrlTemplate);

/// <summary>
/// The owner console: a static page (<c>wwwroot/</c>: HTML, CSS and plain JavaScript modules, no build step) served at
/// the root, working against the JSON API below <c>/api</c> like any other client.
/// </summary>
public static class ConsoleApi
{
    public static IEndpointRouteBuilder MapConsoleApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/console", (IOptionsMonitor<OwnerControlOptions> options, OwnerParameters parameters) =>
            {
                var dashboard = options.CurrentValue.DashboardUrl is { Length: > 0 } url ? url.TrimEnd('/') : null;
                return TypedResults.Ok(new ConsoleInfo(parameters.Genesis.Name, dashboard, dashboard is null ? null : dashboard + "/traces/detail/{traceId}"));
            })
            .WithTags("Console")
            .WithName("GetConsoleInfo")
            .WithSummary("The fabric's name and the Aspire dashboard's address, for the owner console at /");
        return app;
    }

    /// <summary>Serves the console's files: <c>/</c> is <c>index.html</c>.</summary>
    public static WebApplication UseOwnerConsole(this WebApplication app)
    {
        app.UseDefaultFiles();
        app.UseStaticFiles(new StaticFileOptions
        {
            // The page is small and changes with every build: the browser checks back each time (ETag), never a stale copy.
            OnPrepareResponse = context => context.Context.Response.Headers.CacheControl = "no-cache",
        });
        return app;
    }
}
