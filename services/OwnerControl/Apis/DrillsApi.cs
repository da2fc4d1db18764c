using Microsoft.AspNetCore.Http.HttpResults;
using Planetary.OwnerControl.Drills;
using Planetary.OwnerControl.Problems;
using Planetary.OwnerControl.Security;

namespace Planetary.OwnerControl.Apis;

public sealed record DrillsView(int Count, IReadOnlyList<DrillProgress> Drills);

/// <summary>Acceptance drills on the live fleet, through <see cref="IDrillRunner"/> (one at a time).</summary>
public static class DrillsApi
{
    public static IEndpointRouteBuilder MapDrillsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/drills").WithTags("Drills");

        api.MapPost("", Start)
            .WithName("StartDrill")
            .WithSummary("Starts a drill on the live fleet; every field is optional ({} = the acceptance drill)")
            .Produces<DrillProgress>(StatusCodes.Status202Accepted)
            .RequireOwner()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);

        api.MapGet("", List)
            .WithName("GetDrills")
            .WithSummary("Every drill of this owner-control process, oldest first")
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

        api.MapGet("/{id}", Get)
            .WithName("GetDrill")
            .WithSummary("One drill's progress, and its summary and acceptance checks once it has finished")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

        return app;
    }

    private static async Task<Results<Accepted<DrillProgress>, ProblemHttpResult>> Start(
        DrillRequest? request, OwnerActor actor, HttpContext context, CancellationToken cancellationToken)
    {
        if (Runner(context) is not { } runner)
        {
            return Unavailable();
        }

        var start = await runner.StartAsync(request ?? new DrillRequest(), actor.Name, cancellationToken);
        return start switch
        {
            { Drill: { } drill } => TypedResults.Accepted($"/api/drills/{Uri.EscapeDataString(drill.Id)}", drill),
            { Refusal: DrillRefusal.Busy } => OwnerProblems.Of(StatusCodes.Status409Conflict, ProblemTypes.DrillRunning, "A drill is already running", start.Problem!),
            _ => OwnerProblems.Of(StatusCodes.Status422UnprocessableEntity, ProblemTypes.InvalidDrill, "Invalid drill request", start.Problem ?? "The drill runner refused the request."),
        };
    }

    private static Results<Ok<DrillsView>, ProblemHttpResult> List(HttpContext context)
    {
        if (Runner(context) is not { } runner)
        {
            return Unavailable();
        }

        var drills = runner.All();
        return TypedResults.Ok(new DrillsView(drills.Count, drills));
    }

    private static Results<Ok<DrillProgress>, ProblemHttpResult> Get(string id, HttpContext context)
    {
        if (Runner(context) is not { } runner)
        {
            return Unavailable();
        }

        return runner.Find(id) is { } drill ? TypedResults.Ok(drill) : UnknownDrill(id);
    }

    /// <summary>The drill runner, if this build registers one (<c>AddDrills</c>).</summary>
    internal static IDrillRunner? Runner(HttpContext context) => context.RequestServices.GetService<IDrillRunner>();

    internal static ProblemHttpResult UnknownDrill(string id) =>
        OwnerProblems.Of(StatusCodes.Status404NotFound, ProblemTypes.UnknownDrill, "Unknown drill",
            $"There is no drill '{OwnerProblems.Clip(id)}' in this owner-control process (GET /api/drills lists them; it keeps the newest drills, set by Drills:KeepDrills, and an older drill's report stays on disk in the reports folder).");

    internal static ProblemHttpResult Unavailable() =>
        OwnerProblems.Of(StatusCodes.Status503ServiceUnavailable, ProblemTypes.DrillsUnavailable, "Drills are not available",
            "drills are not available: this owner-control build has no drill runner registered.");
}
