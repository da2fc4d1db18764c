using Microsoft.AspNetCore.Http.HttpResults;
using Planetary.Contracts;
using Planetary.OwnerControl.Apis;
using Planetary.OwnerControl.Problems;

namespace Planetary.OwnerControl.Admission;

/// <summary>
/// What <c>POST /api/jobs</c> answers, from the router's own answer: 202 when it took every job (ids it knew already are
/// listed as known); 429 with Retry-After when it refused jobs because its queue is full; 409 when ids name jobs on
/// another shard; 422 for anything else it refused. A refusal problem lists the ids it took and those it refused.
/// </summary>
public static class AdmissionAnswer
{
    public static IResult Of(SubmitJobs submission, JobsAccepted taken)
    {
        var known = taken.Known ?? [];
        if (taken.Rejected.Count == 0)
        {
            return TypedResults.Accepted((string?)null, new JobsSubmitted(submission.SubmissionId, submission.ShardId, submission.Jobs.Count, taken.Accepted, known, Pending: false));
        }

        var extensions = new Dictionary<string, object?>
        {
            ["submissionId"] = submission.SubmissionId,
            ["accepted"] = taken.Accepted,
            ["known"] = known,
            ["refused"] = taken.Rejected.Select(r => new { jobId = r.JobId, reason = r.Reason, kind = r.Kind.ToString() }).ToArray(),
        };
        var first = taken.Rejected[0];
        var summary = $"{submission.ShardId} took {taken.Accepted.Count} of {submission.Jobs.Count} jobs and refused {taken.Rejected.Count} (first: {first.JobId}: {first.Reason})";
        if (taken.Rejected.Any(r => r.Kind == RefusalKind.QueueFull))
        {
            return new RetryAfter(OwnerProblems.Of(StatusCodes.Status429TooManyRequests, ProblemTypes.ShardFull, "Shard queue full",
                $"{summary}. Submit the refused ones again later.", extensions), seconds: 1);
        }

        return taken.Rejected.All(r => r.Kind == RefusalKind.IdTaken)
            ? OwnerProblems.Of(StatusCodes.Status409Conflict, ProblemTypes.JobIdTaken, "Job id names another job",
                $"{summary}. A job id means one job: choose new ids for the refused ones.", extensions)
            : OwnerProblems.Of(StatusCodes.Status422UnprocessableEntity, ProblemTypes.InvalidJobs, "Jobs refused", $"{summary}.", extensions);
    }

    /// <summary>A problem with a <c>Retry-After</c> header.</summary>
    private sealed class RetryAfter(ProblemHttpResult problem, int seconds) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return problem.ExecuteAsync(httpContext);
        }
    }
}
