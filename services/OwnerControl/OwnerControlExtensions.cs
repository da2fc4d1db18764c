using System.Text.Json;
using System.Text.Json.Serialization;
using MassTransit;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;
using Planetary.Fabric.Hosting;
using Planetary.Fabric.Hosting.Messaging;
using Planetary.OwnerControl.Drills;
using Planetary.OwnerControl.Fleet;
using Planetary.OwnerControl.Messaging;
using Planetary.OwnerControl.Parameters;
using Planetary.OwnerControl.Problems;
using Planetary.OwnerControl.Security;
using Planetary.OwnerControl.Status;

namespace Planetary.OwnerControl;

public static class OwnerControlExtensions
{
    /// <summary>
    /// Owner control's services: Redis state, the fleet view fed by its RabbitMQ queue, owner parameters and their
    /// broadcaster, the owner's token, problem details for every failure, and the OpenAPI document.
    /// </summary>
    public static IHostApplicationBuilder AddOwnerControl(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<OwnerControlOptions>().BindConfiguration(OwnerControlOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<OwnerControlOptions>, OwnerControlOptionsValidator>();
        services.AddOptions<KestrelServerOptions>().Configure<IOptions<OwnerControlOptions>>(
            (kestrel, owner) => kestrel.Limits.MaxRequestBodySize = owner.Value.MaxRequestBodyBytes);

        services.AddFabricState(builder.Configuration);
        services.AddSingleton<FleetView>();
        services.AddSingleton<Admission.AdmissionAnswers>();
        services.AddSingleton<FleetHistory>();
        services.AddHostedService<FleetHistorySampler>();
        services.AddSingleton<FabricStateGuard>();
        services.AddHealthChecks().AddCheck<FabricStateGuard>("fabric-state");
        services.AddSingleton<OwnerParameters>();
        services.AddSingleton<IOwnerParameterChanger, OwnerParameterChanger>();
        services.AddSingleton<FleetCommands>();
        services.AddSingleton<DeadLetterProbe>();
        services.AddHostedService<ParameterBroadcaster>();

        // Every consumer of this assembly (the fleet view's, and any the drills add) reads the owner-control queue.
        services.AddFabricBus(
            builder.Configuration,
            bus => bus.AddConsumers(typeof(FleetConsumer).Assembly),
            (context, rabbit) => rabbit.ReceiveEndpoint(Queues.OwnerControl, endpoint =>
            {
                endpoint.UseFabricQueueDefaults(builder.Configuration, Queues.OwnerControl);
                endpoint.ConfigureConsumers(context);
            }));

        services.AddProblemDetails(options => options.CustomizeProblemDetails = DescribeFrameworkProblem);
        services.AddExceptionHandler<RequestProblemExceptionHandler>();
        services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true); // binding failures reach the handler above
        services.ConfigureHttpJsonOptions(options =>
        {
            options.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase));
            options.SerializerOptions.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow; // a misspelt field is an error, not ignored
        });

        services.AddOwnerAuthentication();
        services.AddOpenApi(options =>
        {
            options.AddDocumentTransformer<OwnerOpenApi>();
            options.AddOperationTransformer<OwnerOpenApi>();
        });
        return builder;
    }

    /// <summary>The request pipeline: problems for every failure, the body limit, then the owner's token.</summary>
    public static WebApplication UseOwnerControl(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseMiddleware<RequestBodyLimit>();
        app.UseAuthentication();
        app.UseAuthorization();
        return app;
    }

    /// <summary>
    /// Gives ASP.NET Core's own problems (no route, wrong method, a body over Kestrel's limit, a wrong media type,
    /// unexpected errors) a detail that says what happened.
    /// </summary>
    private static void DescribeFrameworkProblem(ProblemDetailsContext context)
    {
        var request = context.HttpContext.Request;
        var problem = context.ProblemDetails;
        problem.Instance ??= request.Path;
        var frameworkType = problem.Type is null || problem.Type.StartsWith("https://tools.ietf.org/", StringComparison.Ordinal);
        problem.Type = !frameworkType ? problem.Type : problem.Status switch
        {
            StatusCodes.Status413PayloadTooLarge => ProblemTypes.BodyTooLarge,
            StatusCodes.Status415UnsupportedMediaType => ProblemTypes.UnsupportedMediaType,
            _ => problem.Type,
        };

        problem.Detail ??= problem.Status switch
        {
            StatusCodes.Status404NotFound => $"No route matches {request.Method} {request.Path}. The OpenAPI document at /openapi/v1.json lists every route.",
            StatusCodes.Status405MethodNotAllowed => $"{request.Method} is not allowed on {request.Path}"
                + (context.HttpContext.Response.Headers.Allow is { Count: > 0 } allow ? $"; allowed: {allow}." : "."),
            StatusCodes.Status413PayloadTooLarge => $"The request body is larger than the {context.HttpContext.RequestServices.GetRequiredService<IOptionsMonitor<OwnerControlOptions>>().CurrentValue.MaxRequestBodyBytes} bytes accepted.",
            StatusCodes.Status415UnsupportedMediaType => $"The request body must be JSON: send it with Content-Type: application/json (got '{request.ContentType}').",
            StatusCodes.Status500InternalServerError => "Owner control failed unexpectedly while handling this request; its log has the details.",
            _ => null,
        };
    }

    private sealed class OwnerControlOptionsValidator : IValidateOptions<OwnerControlOptions>
    {
        public ValidateOptionsResult Validate(string? name, OwnerControlOptions options) =>
            OwnerControlOptions.Problem(options) is { } problem ? ValidateOptionsResult.Fail(problem) : ValidateOptionsResult.Success;
    }
}
