using Microsoft.AspNetCore.Http.HttpResults;
using Planetary.OwnerControl.Parameters;
using Planetary.OwnerControl.Problems;
using Planetary.OwnerControl.Security;

namespace Planetary.OwnerControl.Apis;

/// <summary>
/// Drain and resume a node: owner changes of <c>nodes.{id}.draining</c>, so they are validated, audited, versioned and
/// broadcast like any other, and the node's router follows them (see the core's drain rule). A draining node gets no
/// new work; its running jobs finish within <c>routers.drainDeadlineTicks</c>, after which what still runs is withdrawn
/// and re-queued without charging an attempt; then it is drained (offline for work) until resumed.
/// </summary>
public static class NodesApi
{
    public static IEndpointRouteBuilder MapNodesApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/nodes").WithTags("Nodes");

        api.MapPost("/{id}/drain", (string id, OwnerActor actor, OwnerParameters parameters) => SetDrainingAsync(id, true, actor, parameters))
            .WithName("DrainNode")
            .WithSummary("Drains a node: no new work; its running jobs finish (withdrawn and re-queued after routers.drainDeadlineTicks); then it takes no work until resumed")
            .RequireOwner()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

        api.MapPost("/{id}/resume", (string id, OwnerActor actor, OwnerParameters parameters) => SetDrainingAsync(id, false, actor, parameters))
            .WithName("ResumeNode")
            .WithSummary("Ends a node's drain: it takes work again while it is online")
            .RequireOwner()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

        return app;
    }

    private static async Task<Results<Ok<ParameterChanged>, ProblemHttpResult>> SetDrainingAsync(
        string nodeId, bool draining, OwnerActor actor, OwnerParameters parameters)
    {
        if (parameters.Genesis.FindNode(nodeId) is null)
        {
            return OwnerProblems.UnknownNode(nodeId, parameters.Genesis);
        }

        return ParametersApi.Answer(await parameters.ChangeAsync($"nodes.{nodeId}.draining", draining ? "true" : "false", actor.Name), actor, parameters.Genesis);
    }
}
