using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Planetary.Fabric.Journal;
using Planetary.Fabric.Reporting;
using Planetary.OwnerControl.Drills;
using Planetary.OwnerControl.Problems;

namespace Planetary.OwnerControl.Apis;

/// <summary>
/// A finished drill's report as the console shows it: the summary, every acceptance check with its figure (verdicts from
/// the core), and the per-node statistics of the bundle the drill wrote.
/// </summary>
/// <param name="Passed">Whether the core found no acceptance failure when the drill ended.</param>
/// <param name="Nodes">The bundle's <c>nodes.json</c>; null (with <paramref name="NodesProblem"/>) when it cannot be read.</param>
public sealed record DrillReportView(
    string Id,
    DrillState State,
    long StartedAtMs,
    long? FinishedAtMs,
    DrillSummary Summary,
    bool Passed,
    IReadOnlyList<AcceptanceCheckView> Checks,
    IReadOnlyList<NodeFigures>? Nodes,
    string? NodesProblem,
    string? ReportDirectory);

public static class DrillReportApi
{
    public static IEndpointRouteBuilder MapDrillReportApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/drills/{id}/report", Get)
            .WithTags("Drills")
            .WithName("GetDrillReport")
            .WithSummary("A finished drill's report: summary, every acceptance check with its figure, per-node statistics")
            .WithDescription("Queue depth per shard over the drill: GET /api/status/history?sinceMs={startedAtMs}&untilMs={finishedAtMs}.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        return app;
    }

    private static Results<Ok<DrillReportView>, ProblemHttpResult> Get(string id, HttpContext context)
    {
        if (DrillsApi.Runner(context) is not { } runner)
        {
            return DrillsApi.Unavailable();
        }

        if (runner.Find(id) is not { } drill)
        {
            return DrillsApi.UnknownDrill(id);
        }

        if (drill.Summary is not { } summary)
        {
            return OwnerProblems.Of(StatusCodes.Status409Conflict, ProblemTypes.DrillNotFinished, "The drill has no report",
                drill.State == DrillState.Failed
                    ? $"Drill {drill.Id} failed before it could write a report: {drill.Error}"
                    : $"Drill {drill.Id} is {drill.State.ToString().ToLowerInvariant()}; its report is written when every job has finished. Follow it at /api/drills/{drill.Id}.");
        }

        var (nodes, problem) = ReadNodes(drill.ReportDirectory);
        return TypedResults.Ok(new DrillReportView(
            drill.Id,
            drill.State,
            drill.StartedAtMs,
            drill.FinishedAtMs,
            summary,
            drill.AcceptanceFailures.Count == 0,
            AcceptanceCheckViews.Of(summary, nodes ?? [], drill.AcceptanceFailures),
            nodes,
            problem,
            drill.ReportDirectory));
    }

    private static (IReadOnlyList<NodeFigures>? Nodes, string? Problem) ReadNodes(string? directory)
    {
        if (directory is null)
        {
            return (null, "the drill recorded no report directory");
        }

        var path = Path.Combine(directory, "nodes.json");
        try
        {
            return (JsonSerializer.Deserialize<IReadOnlyList<NodeFigures>>(File.ReadAllText(path), FabricJson.Options), null);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            return (null, $"{path} could not be read: {e.Message}");
        }
    }
}
