using Planetary.Contracts;
using Planetary.Fabric.Journal;
using Planetary.Fabric.Reporting;
using Planetary.Fabric.Routing;
using Planetary.Fabric.Runtime.Ports;

namespace Planetary.Fabric.Runtime.Routers;

/// <summary>
/// Where each job a router step touched stands after it, for the job index that <c>GET /api/jobs</c> pages through:
/// a job the router holds is queued, running or moving; one that ended in this step has its outcome's status; one the
/// shard refused is rejected; one an ally took is no longer this shard's.
/// </summary>
public static class JobIndexChanges
{
    public static IReadOnlyList<JobIndexEntry> Of(RouterState state, RouterStep step, IReadOnlyList<JobOutcome> outcomes, long atMs)
    {
        var touched = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        Dictionary<string, string>? refusedTemplates = null;
        void Touch(string id)
        {
            if (seen.Add(id))
            {
                touched.Add(id);
            }
        }

        var moved = new List<string>();
        foreach (var entry in step.Entries)
        {
            JournalEntryJobs.AppendTo(entry, moved);
        }

        moved.ForEach(Touch);

        foreach (var refusal in step.Refusals)
        {
            if (refusal.Kind != RefusalKind.IdTaken && refusal.Template is { } template) // an id taken elsewhere is that other job's
            {
                Touch(refusal.JobId);
                (refusedTemplates ??= new(StringComparer.Ordinal)).TryAdd(refusal.JobId, template);
            }
        }

        if (touched.Count == 0)
        {
            return [];
        }

        var ended = outcomes.Count == 0 ? null : outcomes.ToDictionary(o => o.JobId, StringComparer.Ordinal);
        var index = new List<JobIndexEntry>(touched.Count);
        for (var i = 0; i < touched.Count; i++)
        {
            var id = touched[i];
            var order = (atMs * 1000) + (i % 1000);
            if (state.Jobs.TryGetValue(id, out var job))
            {
                index.Add(new JobIndexEntry(id, job.Template, StatusOf(job.Status), order));
            }
            else if (ended is not null && ended.TryGetValue(id, out var outcome))
            {
                index.Add(new JobIndexEntry(id, outcome.Template, JobStatuses.Of(outcome.Kind), order));
            }
            else if (refusedTemplates?.TryGetValue(id, out var template) == true && !state.Knows(id))
            {
                index.Add(new JobIndexEntry(id, template, JobStatus.Rejected, order));
            }
            else
            {
                // An ally took it: it leaves this shard's index (its template is no longer known here, so under each).
                index.AddRange(state.Manifest.JobTemplates.Select(t => new JobIndexEntry(id, t.Name, null, order)));
            }
        }

        return index;
    }

    private static JobStatus StatusOf(RouterJobStatus status) => status switch
    {
        RouterJobStatus.Running => JobStatus.Running,
        RouterJobStatus.InTransfer => JobStatus.Moving,
        _ => JobStatus.Queued,
    };
}
