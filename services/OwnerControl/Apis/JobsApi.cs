using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Planetary.Contracts;
using Planetary.Fabric.Hosting.Messaging;
using Planetary.Fabric.Hosting.Redis;
using Planetary.Fabric.Hosting.Telemetry;
using Planetary.Fabric.Reporting;
using Planetary.OwnerControl.Messaging;
using Planetary.OwnerControl.Parameters;
using Planetary.OwnerControl.Problems;
using Planetary.OwnerControl.Security;

namespace Planetary.OwnerControl.Apis;

/// <summary>The body of <c>POST /api/jobs</c>: a batch of jobs for one shard.</summary>
public sealed record SubmitJobsRequest(string? Shard, IReadOnlyList<JobRequest?>? Jobs);

/// <summary>One job: its template and, optionally, its id (generated when missing).</summary>
public sealed record JobRequest(string? Id, string? Template);

/// <summary>
/// A batch the shard's router took. <paramref name="Known"/>: ids the fabric already knew (they run nothing again; GET
/// /api/jobs/{id} shows each as it stands). <paramref name="Pending"/>: the router had not answered within the admission
/// timeout; the batch waits in its durable queue, and a job it later refuses shows as <c>rejected</c> with the reason.
/// </summary>
public sealed record JobsSubmitted(string SubmissionId, string Shard, int Count, IReadOnlyList<string> JobIds, IReadOnlyList<string> Known, bool Pending);

/// <summary>A cancellation handed to the router holding the job; <c>GET /api/jobs/{id}</c> shows when it took effect.</summary>
public sealed record CancelRequested(string JobId, string Shard, string Actor);

/// <summary>Where a job is and what happened to it.</summary>
/// <param name="Status"><c>queued</c>, <c>running</c>, <c>moving</c> (between shards), <c>completed</c>, <c>failed</c> or <c>cancelled</c>.</param>
public sealed record JobView(string Id, JobStatus Status, string? Shard, string? Node, int Attempts, JobOutcome? Outcome, IReadOnlyList<JobEventRecord> Timeline);

public static partial class JobsApi
{
    public static IEndpointRouteBuilder MapJobsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/jobs").WithTags("Jobs");

        api.MapPost("", SubmitAsync)
            .WithName("SubmitJobs")
            .WithSummary("Submits a batch of jobs to one shard's router")
            .WithDescription("Body: {\"shard\": \"earth\", \"jobs\": [{\"id\": \"optional\", \"template\": \"governance-review\"}]}. Ids match [A-Za-z0-9][A-Za-z0-9._:-]{0,127} and are unique in the batch; missing ids are generated. The answer is the router's: 202 for jobs it took (ids it already knew run nothing again and are listed as known), 429 with Retry-After when its queue is full, 409 for ids that name a job on another shard; 202 with pending=true if it has not answered within OwnerControl:AdmissionTimeoutMs (the batch waits in its queue).")
            .Produces<JobsSubmitted>(StatusCodes.Status202Accepted)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .RequireOwner()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);

        api.MapGet("/{id}", GetAsync)
            .WithName("GetJob")
            .WithSummary("Where a job is (shard, node), its status, attempts, outcome and timeline")
            .ProducesProblem(StatusCodes.Status404NotFound);

        api.MapPost("/{id}/cancel", CancelAsync)
            .WithName("CancelJob")
            .WithSummary("Asks the router holding a job to cancel it (if it finishes first, the cancellation has no effect)")
            .Produces<CancelRequested>(StatusCodes.Status202Accepted)
            .RequireOwner()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

        return app;
    }

    private static async Task<IResult> SubmitAsync(
        SubmitJobsRequest request,
        OwnerActor actor,
        OwnerParameters parameters,
        FleetCommands commands,
        Admission.AdmissionAnswers answers,
        TimeProvider time,
        IOptionsMonitor<OwnerControlOptions> options,
        IConfiguration configuration,
        CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(request.Shard))
        {
            return OwnerProblems.MissingValue("The body must name the shard: {\"shard\": \"earth\", \"jobs\": [...]}; 'shard' is missing.");
        }

        var (manifest, _) = await parameters.CurrentAsync();
        if (manifest.FindShard(request.Shard) is null)
        {
            return OwnerProblems.UnknownShard(request.Shard, manifest);
        }

        if (request.Jobs is null)
        {
            return OwnerProblems.MissingValue("The body must list the jobs: {\"shard\": \"earth\", \"jobs\": [{\"template\": \"...\"}]}; 'jobs' is missing.");
        }

        var max = options.CurrentValue.MaxJobsPerBatch;
        if (request.Jobs.Count > max)
        {
            return OwnerProblems.Of(StatusCodes.Status413PayloadTooLarge, ProblemTypes.BatchTooLarge, "Batch too large",
                $"The batch has {request.Jobs.Count} jobs; at most {max} are accepted in one request. Split it into several.");
        }

        if (request.Jobs.Count == 0)
        {
            return OwnerProblems.Of(StatusCodes.Status422UnprocessableEntity, ProblemTypes.InvalidJobs, "Invalid jobs", "The batch is empty; send 1 to " + max + " jobs.");
        }

        var problems = new List<string>();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var traceParent = JobSpans.CurrentTraceParent();
        var traceRatio = configuration.GetValue("Telemetry:RootSampleRatio", RootSampler.DefaultRatio);
        var jobs = new List<JobSubmission>(request.Jobs.Count);
        for (var i = 0; i < request.Jobs.Count; i++)
        {
            var job = request.Jobs[i];
            if (job is null)
            {
                problems.Add($"jobs[{i}] is null; each job is an object {{\"template\": \"...\"}}");
                continue;
            }

            if (string.IsNullOrEmpty(job.Template))
            {
                problems.Add($"jobs[{i}].template is missing");
            }
            else if (manifest.FindTemplate(job.Template) is null)
            {
                problems.Add($"jobs[{i}].template '{OwnerProblems.Clip(job.Template)}' is not a job template (templates: {string.Join(", ", manifest.JobTemplates.Select(t => t.Name))})");
            }

            var id = job.Id ?? $"job-{Guid.NewGuid():N}";
            if (!Fabric.Validation.JobIds.IsValid(id))
            {
                problems.Add($"jobs[{i}].id '{OwnerProblems.Clip(id)}' is not a valid job id (1 to 128 of A-Z a-z 0-9 . _ : -, starting with a letter or digit)");
            }
            else if (!ids.Add(id))
            {
                problems.Add($"jobs[{i}].id '{id}' appears more than once in the batch");
            }

            jobs.Add(new JobSubmission(id, job.Template ?? string.Empty, now, JobSpans.TraceParentFor(traceParent, i, id, traceRatio)));
        }

        if (problems.Count > 0)
        {
            var shown = string.Join("; ", problems.Take(10)) + (problems.Count > 10 ? $"; and {problems.Count - 10} more" : string.Empty);
            return OwnerProblems.Of(StatusCodes.Status422UnprocessableEntity, ProblemTypes.InvalidJobs, "Invalid jobs",
                $"{problems.Count} problem(s) in the batch; nothing was submitted: {shown}.",
                new Dictionary<string, object?> { ["errors"] = problems.Take(100).ToArray() });
        }

        var submission = new SubmitJobs($"sub-{Guid.NewGuid():N}", request.Shard, jobs);
        var answer = answers.Expect(submission.SubmissionId);
        try
        {
            if (!await commands.SendAsync(Queues.Router(request.Shard), submission, actor.Name, cancellationToken))
            {
                return OwnerProblems.EventBusUnavailable($"The batch {submission.SubmissionId} for {request.Shard} was sent, but");
            }

            var submitted = jobs.Select(j => j.JobId).ToArray();
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromMilliseconds(options.CurrentValue.AdmissionTimeoutMs));
            JobsAccepted taken;
            try
            {
                taken = await answer.WaitAsync(timeout.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return TypedResults.Accepted((string?)null, new JobsSubmitted(submission.SubmissionId, request.Shard, jobs.Count, submitted, [], Pending: true));
            }

            return Admission.AdmissionAnswer.Of(submission, taken);
        }
        finally
        {
            answers.Forget(submission.SubmissionId);
        }
    }

    private static async Task<Results<Ok<JobView>, ProblemHttpResult>> GetAsync(string id, Books books)
    {
        var view = await FindAsync(id, books);
        return view is null ? OwnerProblems.UnknownJob(id) : TypedResults.Ok(view);
    }

    private static async Task<Results<Accepted<CancelRequested>, ProblemHttpResult>> CancelAsync(
        string id, OwnerActor actor, Books books, OwnerParameters parameters, FleetCommands commands, CancellationToken cancellationToken)
    {
        var view = await FindAsync(id, books);
        if (view is null)
        {
            return OwnerProblems.UnknownJob(id);
        }

        if (view.Outcome is not null || view.Status.IsFinal())
        {
            return OwnerProblems.Of(StatusCodes.Status409Conflict, ProblemTypes.JobFinished, "Job already finished",
                $"Job '{id}' already ended as {view.Status.ToString().ToLowerInvariant()}; there is nothing to cancel.");
        }

        // A moving job is still held by the shard it is leaving until the ally settles the transfer: the cancellation goes
        // there and follows the job (to the ally that took it, or ends it if it came back). A router that no longer holds
        // a job it sent on passes the cancellation to that ally.
        var shard = view.Status == JobStatus.Moving ? view.Timeline[^1].Shard : view.Shard!;
        if (parameters.Genesis.FindShard(shard) is null)
        {
            return OwnerProblems.UnknownShard(shard, parameters.Genesis);
        }

        if (!await commands.SendAsync(Queues.Router(shard), new CancelJob(shard, id, actor.Name), actor.Name, cancellationToken))
        {
            return OwnerProblems.EventBusUnavailable($"The cancellation of '{id}' was sent to {shard}, but");
        }

        return TypedResults.Accepted($"/api/jobs/{Uri.EscapeDataString(id)}", new CancelRequested(id, shard, actor.Name));
    }

    private static async Task<JobView?> FindAsync(string id, Books books)
    {
        if (!Fabric.Validation.JobIds.IsValid(id))
        {
            return null;
        }

        var timeline = await books.TimelineAsync(id);
        var outcome = await books.OutcomeAsync(id);
        return timeline.Count == 0 && outcome is null ? null : JobStates.View(id, timeline, outcome);
    }

}

/// <summary>A job's view: where it is and its status, from its outcome in the books and its timeline.</summary>
public static class JobStates
{
    public static JobView View(string id, IReadOnlyList<JobEventRecord> timeline, JobOutcome? outcome)
    {
        var attempts = Math.Max(outcome?.Attempts ?? 0, timeline.Select(e => e.Attempt).DefaultIfEmpty(0).Max());
        if (outcome is not null)
        {
            return new JobView(id, JobStatuses.Of(outcome.Kind), outcome.ShardId, outcome.NodeId, attempts, outcome, timeline);
        }

        var last = timeline[^1];
        var status = JobStatuses.After(last.Event);
        return status switch
        {
            JobStatus.Running => new JobView(id, status, last.Shard, last.Node, attempts, null, timeline),
            JobStatus.Moving => new JobView(id, status, last.Detail ?? last.Shard, null, attempts, null, timeline),
            JobStatus.Queued => new JobView(id, status, last.Shard, null, attempts, null, timeline),
            _ => new JobView(id, status, last.Shard, last.Node, attempts, null, timeline),
        };
    }
}
