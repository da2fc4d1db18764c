using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.HttpResults;
using Planetary.Fabric.Hosting.Redis;
using Planetary.Fabric.Manifest;
using Planetary.Fabric.Parameters;
using Planetary.OwnerControl.Parameters;
using Planetary.OwnerControl.Problems;
using Planetary.OwnerControl.Security;

namespace Planetary.OwnerControl.Apis;

/// <summary>The body of <c>PUT /api/parameters/{path}</c>: <c>{"value": 64}</c>, <c>{"value": true}</c>, <c>{"value": ["luna"]}</c>.</summary>
public sealed record ParameterChangeRequest(JsonElement? Value);

/// <summary>One owner parameter: where it is, its type and range, who applies it, and its current value.</summary>
public sealed record ParameterView(string Path, string Kind, JsonNode? Value, double Min, double Max, IReadOnlyList<string> AppliedBy, string Description);

/// <summary>Every owner parameter and the version of the current values (0 = the manifest's own values).</summary>
public sealed record ParametersView(long Version, IReadOnlyList<ParameterView> Parameters);

/// <summary>A stored owner change: the value before and after, and the version it carries.</summary>
/// <param name="Published">Whether RabbitMQ confirmed the broadcast (if not, owner control repeats it until services converge).</param>
public sealed record ParameterChanged(string Path, JsonNode? Before, JsonNode? After, long Version, string Actor, long AtMs, bool Published);

/// <summary>One entry of the owner's audit log.</summary>
public sealed record OwnerLogEntryView(long Version, string Actor, string Path, JsonNode? Before, JsonNode? After, long Tick, long AtMs, DateTimeOffset At);

public sealed record OwnerLogView(int Count, IReadOnlyList<OwnerLogEntryView> Entries);

public static class ParametersApi
{
    public const int MaxOwnerLogEntries = 10_000;

    public static IEndpointRouteBuilder MapParametersApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api").WithTags("Parameters");

        api.MapGet("/parameters", GetAllAsync)
            .WithName("GetParameters")
            .WithSummary("Every owner parameter with its current value")
            .WithDescription("Path, kind, value, range (for lists: the number of items), the services that apply it, and the current parameter version.");

        api.MapGet("/parameters/{path}", GetOneAsync)
            .WithName("GetParameter")
            .WithSummary("One owner parameter by path, e.g. routers.spilloverBatch or nodes.MARS-ARES-02.concurrency")
            .ProducesProblem(StatusCodes.Status404NotFound);

        api.MapPut("/parameters/{path}", ChangeAsync)
            .WithName("ChangeParameter")
            .WithSummary("Changes one owner parameter: validated, audited, versioned and broadcast to every service")
            .WithDescription("Body: {\"value\": <json>} — a number, true/false, or a JSON array of strings for lists. The value is checked against the parameter's type and range and the resulting manifest must be valid; a refused change stores nothing.")
            .RequireOwner()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);

        app.MapGet("/api/owner-log", GetOwnerLogAsync)
            .WithTags("Owner log")
            .WithName("GetOwnerLog")
            .WithSummary("The owner's audit log, oldest first: actor, path, before, after, version, time")
            .WithDescription($"limit (1 to {MaxOwnerLogEntries}, default {MaxOwnerLogEntries}) keeps the newest entries.")
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);

        return app;
    }

    private static async Task<Ok<ParametersView>> GetAllAsync(OwnerParameters parameters)
    {
        var (manifest, version) = await parameters.CurrentAsync();
        return TypedResults.Ok(new ParametersView(version, Views(manifest).ToArray()));
    }

    private static async Task<Results<Ok<ParameterView>, ProblemHttpResult>> GetOneAsync(string path, OwnerParameters parameters)
    {
        var (manifest, _) = await parameters.CurrentAsync();
        if (!ParameterCatalog.TryResolve(manifest, path, out _, out _, out var problem))
        {
            return OwnerProblems.ParameterRefused(ParameterChangeResult.Fail(path, ParameterChangeError.UnknownPath, problem!));
        }

        return TypedResults.Ok(Views(manifest).Single(v => v.Path == path));
    }

    private static async Task<Results<Ok<ParameterChanged>, ProblemHttpResult>> ChangeAsync(
        string path, ParameterChangeRequest request, OwnerActor actor, OwnerParameters parameters)
    {
        if (request.Value is not { ValueKind: not JsonValueKind.Null and not JsonValueKind.Undefined } value)
        {
            return OwnerProblems.MissingValue($"The body must be {{\"value\": <json>}} with the new value of {OwnerProblems.Clip(path)}; 'value' is missing or null.");
        }

        return Answer(await parameters.ChangeAsync(path, value, actor.Name), actor, parameters.Genesis);
    }

    private static async Task<Results<Ok<OwnerLogView>, ProblemHttpResult>> GetOwnerLogAsync(ParameterStore store, OwnerParameters parameters, int? limit)
    {
        if (limit is < 1 or > MaxOwnerLogEntries)
        {
            return OwnerProblems.Of(StatusCodes.Status422UnprocessableEntity, ProblemTypes.OutOfRange, "Value out of range",
                $"limit must be from 1 to {MaxOwnerLogEntries}, got {limit}.");
        }

        var entries = await store.OwnerLogAsync(MaxOwnerLogEntries);
        var genesis = parameters.Genesis;
        var views = entries.TakeLast(limit ?? MaxOwnerLogEntries)
            .Select(e => new OwnerLogEntryView(
                e.Version, e.Actor, e.Path, ParameterJson.Of(genesis, e.Path, e.Before), ParameterJson.Of(genesis, e.Path, e.After),
                e.Tick, e.AtMs, DateTimeOffset.FromUnixTimeMilliseconds(e.AtMs)))
            .ToArray();
        return TypedResults.Ok(new OwnerLogView(views.Length, views));
    }

    /// <summary>The answer to an owner change: 200 with before/after/version, or the problem that refused it.</summary>
    internal static Results<Ok<ParameterChanged>, ProblemHttpResult> Answer(OwnerChange change, OwnerActor actor, FabricManifest manifest)
    {
        if (change.Conflict)
        {
            return OwnerProblems.Of(StatusCodes.Status409Conflict, ProblemTypes.VersionConflict, "Parameters changed concurrently",
                $"Other owner changes were stored while {change.Result.Path} was being changed ({OwnerParameters.WriteAttempts} attempts); nothing was stored. Repeat the request.");
        }

        if (!change.Applied)
        {
            return OwnerProblems.ParameterRefused(change.Result);
        }

        var path = change.Result.Path;
        return TypedResults.Ok(new ParameterChanged(
            path,
            ParameterJson.Of(manifest, path, change.Result.Before),
            ParameterJson.Of(manifest, path, change.Result.After),
            change.Version,
            actor.Name,
            change.AtMs,
            change.Published));
    }

    private static IEnumerable<ParameterView> Views(FabricManifest manifest) =>
        ParameterCatalog.All
            .SelectMany(d => d.OccurrencesIn(manifest).Select(o => new ParameterView(
                d.PathFor(o.Key), ParameterJson.KindName(d.Kind), ParameterJson.Of(o.Value), d.Min, d.Max, ParameterJson.AppliersOf(d.AppliedBy), d.Description)))
            .OrderBy(v => v.Path, StringComparer.Ordinal);
}
