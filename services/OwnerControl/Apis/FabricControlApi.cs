using Microsoft.AspNetCore.Http.HttpResults;
using Planetary.OwnerControl.Parameters;
using Planetary.OwnerControl.Problems;
using Planetary.OwnerControl.Security;

namespace Planetary.OwnerControl.Apis;

/// <summary>
/// Pause and resume: owner changes of <c>fabric.paused</c> or <c>shards.{id}.paused</c>, so they are validated, audited,
/// versioned and broadcast like any other. Routers stop (and restart) assignment and spillover; queued work stays.
/// </summary>
public static class FabricControlApi
{
    public static IEndpointRouteBuilder MapFabricControlApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api").WithTags("Pause and resume");

        api.MapPost("/pause", (string? shard, OwnerActor actor, OwnerParameters parameters) => SetPausedAsync(true, shard, actor, parameters))
            .WithName("Pause")
            .WithSummary("Pauses assignment on the whole fabric, or on one shard with ?shard=earth; queued work stays")
            .RequireOwner()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

        api.MapPost("/resume", (string? shard, OwnerActor actor, OwnerParameters parameters) => SetPausedAsync(false, shard, actor, parameters))
            .WithName("Resume")
            .WithSummary("Resumes assignment on the whole fabric, or on one shard with ?shard=earth")
            .RequireOwner()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

        return app;
    }

    private static async Task<Results<Ok<ParameterChanged>, ProblemHttpResult>> SetPausedAsync(
        bool paused, string? shard, OwnerActor actor, OwnerParameters parameters)
    {
        if (shard is not null && parameters.Genesis.FindShard(shard) is null)
        {
            return OwnerProblems.UnknownShard(shard, parameters.Genesis);
        }

        var path = shard is null ? "fabric.paused" : $"shards.{shard}.paused";
        return ParametersApi.Answer(await parameters.ChangeAsync(path, paused ? "true" : "false", actor.Name), actor, parameters.Genesis);
    }
}
