using Microsoft.AspNetCore.Http.HttpResults;
using Planetary.Contracts;
using Planetary.Fabric.Hosting.Messaging;
using Planetary.OwnerControl.Messaging;
using Planetary.OwnerControl.Parameters;
using Planetary.OwnerControl.Problems;
using Planetary.OwnerControl.Security;

namespace Planetary.OwnerControl.Apis;

/// <summary>The body of <c>POST /api/faults/nodes/{nodeId}/offline</c>.</summary>
public sealed record NodeOfflineRequest(int? Ticks);

/// <summary>A command handed to a service's queue (confirmed by RabbitMQ); its effect shows in <c>GET /api/status</c>.</summary>
public sealed record CommandSent(string Command, string Queue, string Target, string Actor, long AtMs);

/// <summary>Faults for drills (a node outage, a real router crash) and checkpoints on demand.</summary>
public static class FaultsApi
{
    public const int MaxOfflineTicks = 100_000;

    public static IEndpointRouteBuilder MapFaultsApi(this IEndpointRouteBuilder app)
    {
        var faults = app.MapGroup("/api/faults").WithTags("Faults");

        faults.MapPost("/nodes/{nodeId}/offline", TakeNodeOfflineAsync)
            .WithName("TakeNodeOffline")
            .WithSummary("Takes a node offline for N ticks: its agent stops heartbeating and loses its running work")
            .WithDescription($"Body: {{\"ticks\": N}} with N from 1 to {MaxOfflineTicks}. The router declares the node offline after its grace period and re-queues its jobs.")
            .Produces<CommandSent>(StatusCodes.Status202Accepted)
            .RequireOwner()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);

        faults.MapPost("/routers/{shardId}/crash", CrashRouterAsync)
            .WithName("CrashRouter")
            .WithSummary("Crashes a shard's router process for real: it exits without shutting down and the app host starts it again")
            .Produces<CommandSent>(StatusCodes.Status202Accepted)
            .RequireOwner()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

        app.MapPost("/api/checkpoints", CheckpointAsync)
            .WithTags("Checkpoints")
            .WithName("CheckpointNow")
            .WithSummary("Asks the checkpointer to snapshot every router now, or one shard with ?shard=earth")
            .Produces<CommandSent>(StatusCodes.Status202Accepted)
            .RequireOwner()
            .ProducesProblem(StatusCodes.Status404NotFound);

        return app;
    }

    private static async Task<Results<Accepted<CommandSent>, ProblemHttpResult>> TakeNodeOfflineAsync(
        string nodeId, NodeOfflineRequest request, OwnerActor actor, OwnerParameters parameters, FleetCommands commands, TimeProvider time, CancellationToken cancellationToken)
    {
        if (parameters.Genesis.FindNode(nodeId) is null)
        {
            return OwnerProblems.UnknownNode(nodeId, parameters.Genesis);
        }

        if (request.Ticks is not { } ticks)
        {
            return OwnerProblems.MissingValue($"The body must say for how long: {{\"ticks\": N}} with N from 1 to {MaxOfflineTicks}; 'ticks' is missing.");
        }

        if (ticks is < 1 or > MaxOfflineTicks)
        {
            return OwnerProblems.Of(StatusCodes.Status422UnprocessableEntity, ProblemTypes.OutOfRange, "Value out of range",
                $"ticks must be an integer from 1 to {MaxOfflineTicks}, got {ticks}.");
        }

        return await SendAsync(commands, Queues.Node(nodeId), new TakeNodeOffline(nodeId, ticks, actor.Name), nodeId, actor, time, cancellationToken);
    }

    private static async Task<Results<Accepted<CommandSent>, ProblemHttpResult>> CrashRouterAsync(
        string shardId, OwnerActor actor, OwnerParameters parameters, FleetCommands commands, Fleet.FleetView fleet, TimeProvider time, CancellationToken cancellationToken)
    {
        if (parameters.Genesis.FindShard(shardId) is null)
        {
            return OwnerProblems.UnknownShard(shardId, parameters.Genesis);
        }

        // Name the instance to kill (its last status report), so a restarted router ignores a redelivered copy.
        if (!fleet.Shards.TryGetValue(shardId, out var heard))
        {
            return OwnerProblems.Of(StatusCodes.Status409Conflict, ProblemTypes.NotReported, "Router has not reported",
                $"Router {shardId} has not reported which process serves it yet, so there is no process to name; wait until GET /api/status lists it and try again. Nothing was sent.");
        }

        return await SendAsync(commands, Queues.Router(shardId), new CrashRouter(shardId, actor.Name, heard.Report.InstanceId), shardId, actor, time, cancellationToken);
    }

    private static async Task<Results<Accepted<CommandSent>, ProblemHttpResult>> CheckpointAsync(
        string? shard, OwnerActor actor, OwnerParameters parameters, FleetCommands commands, TimeProvider time, CancellationToken cancellationToken)
    {
        if (shard is not null && parameters.Genesis.FindShard(shard) is null)
        {
            return OwnerProblems.UnknownShard(shard, parameters.Genesis);
        }

        return await SendAsync(commands, Queues.Checkpointer, new CheckpointNow(shard, actor.Name), shard ?? "all shards", actor, time, cancellationToken);
    }

    private static async Task<Results<Accepted<CommandSent>, ProblemHttpResult>> SendAsync(
        FleetCommands commands, string queue, object command, string target, OwnerActor actor, TimeProvider time, CancellationToken cancellationToken)
    {
        var name = command.GetType().Name;
        if (!await commands.SendAsync(queue, command, actor.Name, cancellationToken))
        {
            return OwnerProblems.EventBusUnavailable($"{name} for {target} was sent to {queue}, but");
        }

        return TypedResults.Accepted((string?)null, new CommandSent(name, queue, target, actor.Name, time.GetUtcNow().ToUnixTimeMilliseconds()));
    }
}
