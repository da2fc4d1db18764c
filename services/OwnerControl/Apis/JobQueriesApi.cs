using Microsoft.AspNetCore.Http.HttpResults;
using Planetary.Contracts;
using Planetary.Fabric.Hosting.Messaging;
using Planetary.Fabric.Hosting.Redis;
using Planetary.Fabric.Manifest;
using Planetary.Fabric.Reporting;
using Planetary.OwnerControl.Messaging;
using Planetary.OwnerControl.Parameters;
using Planetary.OwnerControl.Problems;
using Planetary.OwnerControl.Security;

namespace Planetary.OwnerControl.Apis;

/// <summary>One job in a list: where it is, its status since when, and (once it ended) its attempts and reason.</summary>
/// <param name="SinceMs">When it reached its status (milliseconds since the Unix epoch).</param>
/// <param name="Reason">Why it ended as it did (failed, cancelled, rejected), or why its last attempt failed.</param>
public sealed record JobListItem(string Id, JobStatus Status, string Shard, string Template, long SinceMs, int Attempts, string? Node, string? Reason);

/// <summary>A page of jobs, newest first; <paramref name="NextCursor"/> asks for the next page (null: this is the last).</summary>
public sealed record JobList(IReadOnlyList<JobListItem> Jobs, string? NextCursor);

/// <summary>The body of <c>POST /api/jobs/requeue</c>: either <paramref name="Ids"/>, or <paramref name="State"/> <c>"failed"</c> with an optional shard and template.</summary>
public sealed record RequeueRequest(IReadOnlyList<string?>? Ids, string? State, string? Shard, string? Template, bool DryRun = false);

/// <summary>A job that was named but not requeued, and why.</summary>
public sealed record NotRequeued(string Id, string Reason);

/// <summary>
/// What a requeue did (or, with <paramref name="DryRun"/>, would do): <paramref name="Count"/> failed jobs handed back to
/// the routers they failed on (<paramref name="Shards"/>: how many each), the first 1,000 of their ids, and the named
/// jobs that were not failed.
/// </summary>
public sealed record JobsRequeued(int Count, bool DryRun, IReadOnlyDictionary<string, int> Shards, IReadOnlyList<string> JobIds, IReadOnlyList<NotRequeued> NotRequeued);

/// <summary>
/// Lists jobs from the job index (by status, shard and template, newest first, in pages) and requeues failed ones. The
/// index is kept by the routers in the same atomic step as their journal (see <see cref="RedisKeys.JobIndex"/>).
/// </summary>
public static class JobQueriesApi
{
    /// <summary>The most jobs one requeue request takes (by ids, or found by its filter).</summary>
    public const int MaxRequeue = 100_000;

    private const int RequeueChunk = 1_000;

    public static IEndpointRouteBuilder MapJobQueriesApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/jobs").WithTags("Jobs");

        api.MapGet("", ListAsync)
            .WithName("ListJobs")
            .WithSummary("Lists jobs by state, shard and template, newest first, a page at a time")
            .WithDescription("Query: state (queued, running, moving, completed, failed, cancelled or rejected; any when absent), shard, template, limit (1 to 500, default 50) and cursor (the nextCursor of the previous page). Finished jobs are listed for jobs.retentionHours.")
            .Produces<JobList>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);

        api.MapPost("/requeue", RequeueAsync)
            .WithName("RequeueJobs")
            .WithSummary("Puts failed jobs back in the queue of the shard they failed on, with a fresh allowance of attempts")
            .WithDescription("Body: {\"ids\": [\"job-1\"]} or {\"state\": \"failed\", \"shard\": \"optional\", \"template\": \"optional\"}; add \"dryRun\": true to count without requeueing. Answers how many were handed to their routers (202) or would be (200 for a dry run), and which named jobs were not failed.")
            .Produces<JobsRequeued>(StatusCodes.Status202Accepted)
            .Produces<JobsRequeued>()
            .RequireOwner()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);

        return app;
    }

    private static async Task<Results<Ok<JobList>, ProblemHttpResult>> ListAsync(
        string? state, string? shard, string? template, string? cursor, int? limit, OwnerParameters parameters, JobIndex index, Books books)
    {
        var (manifest, _) = await parameters.CurrentAsync();
        if (Filter(manifest, state, shard, template) is not { } filter)
        {
            return Problem(manifest, state, shard, template);
        }

        JobIndexCursor? after = null;
        if (cursor is not null)
        {
            if (!JobIndexCursor.TryParse(cursor, out var parsed))
            {
                return OwnerProblems.Of(StatusCodes.Status400BadRequest, ProblemTypes.InvalidQuery, "Invalid cursor",
                    "The cursor is not one this API gave out; pass the nextCursor of the previous page as it is, or leave it out for the first page.");
            }

            after = parsed;
        }

        if (limit is < 1 or > JobIndex.MaxLimit)
        {
            return OwnerProblems.Of(StatusCodes.Status400BadRequest, ProblemTypes.InvalidQuery, "Invalid limit",
                $"limit must be 1 to {JobIndex.MaxLimit}, got {limit}.");
        }

        var page = await index.PageAsync(new JobIndexQuery(filter.Statuses, filter.Shards, filter.Templates, after, limit ?? 50));
        var finished = page.Jobs.Where(j => j.Status is JobStatus.Completed or JobStatus.Failed or JobStatus.Cancelled).Select(j => j.JobId).ToHashSet(StringComparer.Ordinal);
        var outcomes = finished.Count == 0 ? [] : await books.OutcomesAsync(finished);
        var last = await books.LastEventsAsync(page.Jobs.Select(j => j.JobId).ToArray());
        var items = new List<JobListItem>(page.Jobs.Count);
        foreach (var job in page.Jobs)
        {
            last.TryGetValue(job.JobId, out var latest);
            if (outcomes.TryGetValue(job.JobId, out var outcome))
            {
                items.Add(new JobListItem(job.JobId, job.Status, job.Shard, job.Template, job.SinceMs, outcome.Attempts, outcome.NodeId, outcome.Reason));
            }
            else if (latest is not null && !finished.Contains(job.JobId))
            {
                items.Add(new JobListItem(job.JobId, job.Status, job.Shard, job.Template, job.SinceMs, latest.Attempt, latest.Node,
                    latest.Event is JobEventKind.Rejected or JobEventKind.AttemptFailed or JobEventKind.Withdrawn ? latest.Detail : null));
            }

            // Otherwise its retention has passed (the books and its timeline expired before the index was next trimmed): not listed.
        }

        return TypedResults.Ok(new JobList(items, page.Next?.Encode()));
    }

    private static async Task<IResult> RequeueAsync(
        RequeueRequest request, OwnerActor actor, OwnerParameters parameters, JobIndex index, Books books, FleetCommands commands, CancellationToken cancellationToken)
    {
        var (manifest, _) = await parameters.CurrentAsync();
        var named = request.Ids is { Count: > 0 };
        if (named == request.State is not null)
        {
            return OwnerProblems.MissingValue("Name the jobs to requeue either by id, {\"ids\": [\"job-1\", ...]}, or by filter, {\"state\": \"failed\", \"shard\": \"optional\", \"template\": \"optional\"}; not both, not neither.");
        }

        List<string> candidates;
        var notRequeued = new List<NotRequeued>();
        if (named)
        {
            if (request.Ids!.Count > MaxRequeue)
            {
                return OwnerProblems.Of(StatusCodes.Status400BadRequest, ProblemTypes.InvalidQuery, "Too many ids", $"At most {MaxRequeue:N0} ids in one request; got {request.Ids.Count:N0}.");
            }

            for (var i = 0; i < request.Ids.Count; i++)
            {
                if (request.Ids[i] is not { } id || !Fabric.Validation.JobIds.IsValid(id))
                {
                    return OwnerProblems.Of(StatusCodes.Status422UnprocessableEntity, ProblemTypes.InvalidJobs, "Invalid job id",
                        $"ids[{i}] '{OwnerProblems.Clip(request.Ids[i] ?? "null")}' is not a valid job id (1 to 128 of A-Z a-z 0-9 . _ : -, starting with a letter or digit); nothing was requeued.");
                }
            }

            candidates = request.Ids.Select(id => id!).Distinct(StringComparer.Ordinal).ToList();
        }
        else
        {
            if (JobStatusNames.Parse(request.State) != JobStatus.Failed)
            {
                return OwnerProblems.Of(StatusCodes.Status422UnprocessableEntity, ProblemTypes.NotRequeueable, "Only failed jobs can be requeued",
                    $"state must be \"failed\", got \"{OwnerProblems.Clip(request.State!)}\": only jobs that exhausted their attempts go back in the queue.");
            }

            if (Filter(manifest, "failed", request.Shard, request.Template) is not { } filter)
            {
                return Problem(manifest, "failed", request.Shard, request.Template);
            }

            candidates = (await index.AllAsync(filter.Statuses, filter.Shards, filter.Templates, MaxRequeue)).Select(j => j.JobId).ToList();
        }

        var outcomes = await books.OutcomesAsync(candidates);
        var byShard = new SortedDictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var id in candidates)
        {
            if (!outcomes.TryGetValue(id, out var outcome))
            {
                notRequeued.Add(new NotRequeued(id, "it has not ended (or its retention has passed): only failed jobs are requeued"));
            }
            else if (outcome.Kind != JobOutcomeKind.Failed)
            {
                notRequeued.Add(new NotRequeued(id, $"it ended {outcome.Kind.ToString().ToLowerInvariant()}, not failed"));
            }
            else if (manifest.FindShard(outcome.ShardId) is null)
            {
                notRequeued.Add(new NotRequeued(id, $"it failed on shard {outcome.ShardId}, which the manifest no longer has"));
            }
            else
            {
                (byShard.TryGetValue(outcome.ShardId, out var ids) ? ids : byShard[outcome.ShardId] = []).Add(id);
            }
        }

        var requeued = byShard.SelectMany(s => s.Value).ToArray();
        var answer = new JobsRequeued(requeued.Length, request.DryRun, byShard.ToDictionary(s => s.Key, s => s.Value.Count), requeued.Take(1_000).ToArray(), notRequeued.Take(1_000).ToArray());
        if (request.DryRun)
        {
            return TypedResults.Ok(answer);
        }

        foreach (var (shard, ids) in byShard)
        {
            foreach (var chunk in ids.Chunk(RequeueChunk))
            {
                if (!await commands.SendAsync(Queues.Router(shard), new RequeueJobs(shard, chunk, actor.Name), actor.Name, cancellationToken))
                {
                    return OwnerProblems.EventBusUnavailable($"The requeue of {chunk.Length} job(s) was sent to {shard}, but");
                }
            }
        }

        return TypedResults.Accepted((string?)null, answer);
    }

    private sealed record JobFilter(IReadOnlyList<JobStatus> Statuses, IReadOnlyList<string> Shards, IReadOnlyList<string> Templates);

    private static JobFilter? Filter(FabricManifest manifest, string? state, string? shard, string? template)
    {
        JobStatus[] statuses;
        if (string.IsNullOrEmpty(state))
        {
            statuses = Enum.GetValues<JobStatus>();
        }
        else if (JobStatusNames.Parse(state) is { } status)
        {
            statuses = [status];
        }
        else
        {
            return null;
        }

        if ((!string.IsNullOrEmpty(shard) && manifest.FindShard(shard) is null) || (!string.IsNullOrEmpty(template) && manifest.FindTemplate(template) is null))
        {
            return null;
        }

        return new JobFilter(
            statuses,
            string.IsNullOrEmpty(shard) ? manifest.Shards.Select(s => s.Id).ToArray() : [shard],
            string.IsNullOrEmpty(template) ? manifest.JobTemplates.Select(t => t.Name).ToArray() : [template]);
    }

    /// <summary>The problem with a filter <see cref="Filter"/> refused.</summary>
    private static ProblemHttpResult Problem(FabricManifest manifest, string? state, string? shard, string? template)
    {
        if (!string.IsNullOrEmpty(state) && JobStatusNames.Parse(state) is null)
        {
            return OwnerProblems.Of(StatusCodes.Status400BadRequest, ProblemTypes.InvalidQuery, "Unknown state",
                $"There is no job state '{OwnerProblems.Clip(state)}'. States: {string.Join(", ", Enum.GetValues<JobStatus>().Select(JobStatusNames.Of))}.");
        }

        if (!string.IsNullOrEmpty(shard) && manifest.FindShard(shard) is null)
        {
            return OwnerProblems.UnknownShard(shard, manifest);
        }

        return OwnerProblems.Of(StatusCodes.Status404NotFound, ProblemTypes.UnknownTemplate, "Unknown template",
            $"There is no job template '{OwnerProblems.Clip(template ?? string.Empty)}'. Templates: {string.Join(", ", manifest.JobTemplates.Select(t => t.Name))}.");
    }
}
