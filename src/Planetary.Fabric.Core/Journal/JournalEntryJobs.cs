namespace Planetary.Fabric.Journal;

/// <summary>
/// The jobs a journal entry moves: accepted, assigned, requeued, failed or withdrawn attempts, finished, sent to an
/// ally or settled back. These are the only entries that add a job to a router, take it away or change its status,
/// so whoever follows jobs through the journal (the job index, the simulator's invariant checker) reads them here.
/// </summary>
public static class JournalEntryJobs
{
    /// <summary>Adds the ids of the jobs the entry moves (none for node, parameter, tombstone and recovery entries).</summary>
    public static void AppendTo(JournalEntry entry, List<string> into)
    {
        switch (entry)
        {
            case JobAccepted e: into.Add(e.JobId); break;
            case JobRequeued e: into.Add(e.JobId); break;
            case JobAssigned e: into.Add(e.JobId); break;
            case AttemptFailed e: into.Add(e.JobId); break;
            case AttemptWithdrawn e: into.Add(e.JobId); break;
            case JobCompleted e: into.Add(e.JobId); break;
            case JobFailed e: into.Add(e.JobId); break;
            case JobCancelled e: into.Add(e.JobId); break;
            case JobsSentToShard e: into.AddRange(e.JobIds); break;
            case TransferSettled e:
                into.AddRange(e.Accepted);
                into.AddRange(e.Rejected);
                break;
        }
    }
}
