using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

// The Aspire template's namespace: services call AddServiceDefaults() without an extra using.
namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Defaults shared by every Planetary service: OpenTelemetry (logs, metrics, traces), health checks,
/// service discovery and the standard HTTP resilience handler. Works for web services
/// (<c>WebApplication.CreateBuilder</c>) and workers (<c>Host.CreateApplicationBuilder</c>) alike.
/// </summary>
public static class ServiceDefaultsExtensions
{
    /// <summary>Adds telemetry, default health checks, service discovery and HTTP resilience.</summary>
    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder)
        where TBuilder : IHostApplicationBuilder
    {
        builder.ConfigureOpenTelemetry();
        builder.AddDefaultHealthChecks();

        builder.Services.AddServiceDiscovery();
        builder.Services.ConfigureHttpClientDefaults(http =>
        {
            http.AddStandardResilienceHandler();
            http.AddServiceDiscovery();
        });

        return builder;
    }

    /// <summary>
    /// Logs, metrics and traces: ASP.NET Core, HttpClient and runtime instrumentation, MassTransit and every
    /// <c>Planetary.*</c> source and meter; exported over OTLP when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set
    /// (the app host sets it for every service it runs).
    /// </summary>
    public static TBuilder ConfigureOpenTelemetry<TBuilder>(this TBuilder builder)
        where TBuilder : IHostApplicationBuilder
    {
        // Polly logs every HTTP attempt at Information, and the OTLP exporter makes one per second: keep warnings only.
        builder.Logging.AddFilter("Polly", LogLevel.Warning);
        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.IncludeFormattedMessage = true;
            logging.IncludeScopes = true;
        });

        builder.Services.AddOpenTelemetry()
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddMeter(TelemetryNames.MassTransit)
                .AddMeter(TelemetryNames.PlanetaryWildcard))
            .WithTracing(tracing => tracing
                .SetSampler(new ParentBasedSampler(new RootSampler(
                    builder.Configuration.GetValue("Telemetry:RootSampleRatio", RootSampler.DefaultRatio))))
                .AddSource(builder.Environment.ApplicationName)
                .AddSource(TelemetryNames.MassTransit)
                .AddSource(TelemetryNames.PlanetaryWildcard)
                .AddAspNetCoreInstrumentation(aspNetCore =>
                    aspNetCore.Filter = context => !IsHealthEndpoint(context.Request.Path))
                .AddHttpClientInstrumentation());

        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            builder.Services.AddOpenTelemetry().UseOtlpExporter();
        }

        return builder;
    }

    /// <summary>Adds the "self" liveness check; services add their own readiness checks next to it.</summary>
    public static TBuilder AddDefaultHealthChecks<TBuilder>(this TBuilder builder)
        where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddHealthChecks()
            .AddCheck("self", () => HealthCheckResult.Healthy(), [HealthEndpoints.LiveTag]);

        // Every probe of a starting service is Unhealthy, which the framework logs as an error: HealthTransitions logs
        // each change instead, at information while starting and as a warning when a healthy check fails.
        builder.Services.AddSingleton<HealthTransitions>();
        builder.Logging.AddFilter(HealthTransitions.FrameworkCategory, LogLevel.None);

        return builder;
    }

    /// <summary>
    /// Maps <c>/health</c> (all checks: ready) and <c>/alive</c> (checks tagged "live"). Mapped in every
    /// environment because the app host's <c>WaitFor</c> relies on them; the responses carry only the
    /// aggregate status text ("Healthy", "Degraded", "Unhealthy"), no check details.
    /// </summary>
    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        var transitions = app.Services.GetRequiredService<HealthTransitions>();
        app.MapHealthChecks(HealthEndpoints.HealthPath, new HealthCheckOptions
        {
            ResponseWriter = (context, report) => WriteStatus(context, report, transitions),
        });
        app.MapHealthChecks(HealthEndpoints.AlivePath, new HealthCheckOptions
        {
            Predicate = registration => registration.Tags.Contains(HealthEndpoints.LiveTag),
            ResponseWriter = (context, report) => WriteStatus(context, report, transitions),
        });

        return app;
    }

    /// <summary>The framework's minimal answer (the aggregate status as plain text), after noting what changed.</summary>
    private static Task WriteStatus(HttpContext context, HealthReport report, HealthTransitions transitions)
    {
        transitions.Observe(report);
        context.Response.ContentType = "text/plain";
        return context.Response.WriteAsync(report.Status.ToString());
    }

    private static bool IsHealthEndpoint(PathString path) =>
        path.StartsWithSegments(HealthEndpoints.HealthPath) || path.StartsWithSegments(HealthEndpoints.AlivePath);
}
