using Microsoft.AspNetCore.Http.HttpResults;
using Planetary.Fabric.Manifest;
using Planetary.Fabric.Parameters;

namespace Planetary.OwnerControl.Problems;

/// <summary>Problem responses of the owner API: one place for their status, type, title and wording.</summary>
public static class OwnerProblems
{
    public static ProblemHttpResult Of(int status, string type, string title, string detail, IDictionary<string, object?>? extensions = null) =>
        TypedResults.Problem(detail, statusCode: status, title: title, type: type, extensions: extensions);

    public static ProblemHttpResult MissingValue(string detail) =>
        Of(StatusCodes.Status400BadRequest, ProblemTypes.MissingValue, "A required value is missing", detail);

    public static ProblemHttpResult UnknownShard(string shardId, FabricManifest manifest) =>
        Of(StatusCodes.Status404NotFound, ProblemTypes.UnknownShard, "Unknown shard",
            $"There is no shard '{Clip(shardId)}'. Shards: {string.Join(", ", manifest.Shards.Select(s => s.Id))}.");

    public static ProblemHttpResult UnknownNode(string nodeId, FabricManifest manifest) =>
        Of(StatusCodes.Status404NotFound, ProblemTypes.UnknownNode, "Unknown node",
            $"There is no node '{Clip(nodeId)}'. Nodes: {string.Join(", ", manifest.Nodes.Select(n => n.Id))}.");

    public static ProblemHttpResult UnknownJob(string jobId) =>
        Of(StatusCodes.Status404NotFound, ProblemTypes.UnknownJob, "Unknown job",
            $"Nothing is known about job '{Clip(jobId)}': no router has journaled it, or it ended more than jobs.retentionHours ago.");

    public static ProblemHttpResult EventBusUnavailable(string what) =>
        Of(StatusCodes.Status503ServiceUnavailable, ProblemTypes.EventBusUnavailable, "The event bus did not confirm the message",
            $"{what} RabbitMQ did not confirm it in time; it may or may not have been delivered. Repeating the request is safe.");

    /// <summary>A refused owner change, by the core's reason.</summary>
    public static ProblemHttpResult ParameterRefused(ParameterChangeResult result) => result.Error switch
    {
        ParameterChangeError.UnknownPath => Of(StatusCodes.Status404NotFound, ProblemTypes.UnknownParameter, "Unknown parameter",
            $"{Capitalize(result.Problem!)}. GET /api/parameters lists every parameter path."),
        ParameterChangeError.WrongType => Of(StatusCodes.Status400BadRequest, ProblemTypes.WrongType, "Wrong value type", result.Problem!),
        ParameterChangeError.OutOfRange => Of(StatusCodes.Status422UnprocessableEntity, ProblemTypes.OutOfRange, "Value out of range", result.Problem!),
        ParameterChangeError.InvalidResult => Of(StatusCodes.Status422UnprocessableEntity, ProblemTypes.InvalidManifest,
            "The change would make the manifest invalid", result.Problem!),
        _ => throw new ArgumentOutOfRangeException(nameof(result), result.Error, "Not a refused change."),
    };

    /// <summary>Shortens text echoed back from a request so a problem never repeats a huge input.</summary>
    public static string Clip(string text) => text.Length <= 80 ? text : text[..80] + "…";

    private static string Capitalize(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];
}
