using System.Collections.Concurrent;
using Planetary.Contracts;
using Planetary.OwnerControl.Fleet;

namespace Planetary.OwnerControl.Admission;

/// <summary>
/// Routers' answers to submissions, handed to the request that waits for one (so <c>POST /api/jobs</c> says what the
/// fabric really took). Only submissions someone waits for are kept, and each only until it is answered or given up.
/// </summary>
public sealed class AdmissionAnswers
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource<JobsAccepted>> _waiting = new(StringComparer.Ordinal);

    public AdmissionAnswers(FleetView fleet) => fleet.JobsAccepted += Answered;

    /// <summary>Starts waiting for the answer to a submission (call before sending it).</summary>
    public Task<JobsAccepted> Expect(string submissionId) =>
        _waiting.GetOrAdd(submissionId, _ => new TaskCompletionSource<JobsAccepted>(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

    /// <summary>Stops waiting for a submission (answered, or given up).</summary>
    public void Forget(string submissionId) => _waiting.TryRemove(submissionId, out _);

    private void Answered(JobsAccepted answer)
    {
        if (_waiting.TryRemove(answer.SubmissionId, out var waiter))
        {
            waiter.TrySetResult(answer);
        }
    }
}
