using Planetary.Fabric.Journal;

namespace Planetary.Fabric.Reporting;

/// <summary>
/// One line of a job timeline (<c>events.ndjson</c>), derived from a router's journal entries. <see cref="Tick"/> is
/// the router's tick; on the live fleet <see cref="AtMs"/> is the wall-clock time the entry was journaled.
/// </summary>
public readonly record struct TimelineEvent(long Tick, string JobId, string Kind, string Shard, string? Node, int Attempt, string? Detail, long AtMs = 0);

public static class JournalTimeline
{
    /// <summary>The job events an entry stands for (node, ally and parameter entries stand for none).</summary>
    public static void Append(string shard, JournalEntry entry, List<TimelineEvent> into)
    {
        switch (entry)
        {
            case JobAccepted e:
                into.Add(new TimelineEvent(e.Tick, e.JobId, e.FromShard is null ? "accepted" : "arrived", shard, null, e.AttemptsUsed, e.FromShard));
                break;
            case JobAssigned e:
                into.Add(new TimelineEvent(e.Tick, e.JobId, "assigned", shard, e.NodeId, e.Attempt, null));
                break;
            case AttemptFailed e:
                into.Add(new TimelineEvent(e.Tick, e.JobId, "attemptFailed", shard, e.NodeId, e.Attempt, e.Reason));
                break;
            case JobCompleted e:
                into.Add(new TimelineEvent(e.Tick, e.JobId, "completed", shard, e.NodeId, e.Attempt, null));
                break;
            case JobFailed e:
                into.Add(new TimelineEvent(e.Tick, e.JobId, "failed", shard, null, 0, e.Reason));
                break;
            case JobCancelled e:
                into.Add(new TimelineEvent(e.Tick, e.JobId, "cancelled", shard, null, 0, e.Reason));
                break;
            case JobsSentToShard e:
                foreach (var id in e.JobIds)
                {
                    into.Add(new TimelineEvent(e.Tick, id, e.Reason == Contracts.TransferReason.Spillover ? "spilled" : "forwarded", shard, null, 0, e.ToShard));
                }

                break;
            case TransferSettled e:
                foreach (var id in e.Rejected)
                {
                    into.Add(new TimelineEvent(e.Tick, id, "returned", shard, null, 0, e.RejectionReason));
                }

                break;
        }
    }
}
