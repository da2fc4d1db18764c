using System.Net;
using Planetary.Contracts;
using static Planetary.OwnerControl.Tests.OwnerControlFixture;

namespace Planetary.OwnerControl.Tests;

/// <summary>
/// <c>POST /api/jobs</c> answers what the router really took: the test plays the router, taking the submission from its
/// queue and publishing the answer, while the request waits.
/// </summary>
[Collection(OwnerControlCollection.Name)]
public sealed class AdmissionTests(OwnerControlFixture fixture)
{
    [Fact(Timeout = TestTimeouts.TestMilliseconds)]
    public async Task A_full_shard_answers_429_with_Retry_After_and_the_ids_it_took_and_refused()
    {
        var response = await SubmitAnsweredAsync("full", taken => taken with
        {
            Accepted = [taken.Accepted[0]],
            Rejected = [new JobRejection(taken.Accepted[1], "shard earth queue is full (maxQueueDepth 2); try again later", RefusalKind.QueueFull)],
        });

        Assert.Equal("1", response.Headers.RetryAfter?.ToString());
        var problem = await ProblemAssert.IsProblemAsync(response, (HttpStatusCode)429, "shard-full", "took 1 of 2", "queue is full");
        Assert.Equal(["full-1"], problem.GetProperty("accepted").EnumerateArray().Select(i => i.GetString()));
        Assert.Equal("full-2", Assert.Single(problem.GetProperty("refused").EnumerateArray()).GetProperty("jobId").GetString());
    }

    [Fact(Timeout = TestTimeouts.TestMilliseconds)]
    public async Task Known_ids_are_answered_as_known_with_202()
    {
        var response = await SubmitAnsweredAsync("known", taken => taken with { Known = [taken.Accepted[0]] });

        var body = await response.JsonAsync(HttpStatusCode.Accepted);
        Assert.False(body.GetProperty("pending").GetBoolean());
        Assert.Equal(["known-1"], body.GetProperty("known").EnumerateArray().Select(i => i.GetString()));
        Assert.Equal(2, body.GetProperty("jobIds").GetArrayLength());
    }

    [Fact(Timeout = TestTimeouts.TestMilliseconds)]
    public async Task An_id_that_names_a_job_on_another_shard_is_a_409()
    {
        var response = await SubmitAnsweredAsync("taken", taken => taken with
        {
            Accepted = [],
            Rejected = taken.Accepted.Select(id => new JobRejection(id, $"job id '{id}' already names a job submitted to shard luna", RefusalKind.IdTaken)).ToArray(),
        });

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Conflict, "job-id-taken", "shard luna");
    }

    [Fact(Timeout = TestTimeouts.TestMilliseconds)]
    public async Task A_router_that_does_not_answer_in_time_leaves_the_batch_pending_in_its_queue()
    {
        var response = await Client.SendAsync(Owner(HttpMethod.Post, "/api/jobs", """{"shard": "mars", "jobs": [{"id": "pending-1", "template": "terraforming-survey"}]}"""));

        var body = await response.JsonAsync(HttpStatusCode.Accepted);
        Assert.True(body.GetProperty("pending").GetBoolean());
    }

    private HttpClient Client => fixture.Client;

    /// <summary>Submits two jobs to earth and answers as the router would, with <paramref name="answer"/> applied to "took both".</summary>
    private async Task<HttpResponseMessage> SubmitAnsweredAsync(string prefix, Func<JobsAccepted, JobsAccepted> answer)
    {
        using var deadline = new CancellationTokenSource(TestTimeouts.Arrival * 2);
        var request = Client.SendAsync(Owner(HttpMethod.Post, "/api/jobs",
            $$"""{"shard": "earth", "jobs": [{"id": "{{prefix}}-1", "template": "governance-review"}, {"id": "{{prefix}}-2", "template": "governance-review"}]}"""));
        var submission = await fixture.Broker.TakeAsync<SubmitJobs>("router-earth", m => m.GetProperty("jobs")[0].GetProperty("jobId").GetString() == $"{prefix}-1", deadline.Token);
        var submissionId = submission.GetProperty("submissionId").GetString()!;
        await fixture.Broker.PublishAsync(answer(new JobsAccepted(submissionId, "earth", [$"{prefix}-1", $"{prefix}-2"], [], [])), deadline.Token);
        return await request;
    }
}
