using System.Text.Json.Serialization;
using Planetary.Fabric.Journal;

namespace Planetary.Fabric.Reporting;

/// <summary>What happened to a job, as its timeline shows it (serialised in camelCase: <c>JobEventKind.AttemptFailed</c>).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<JobEventKind>))]
public enum JobEventKind
{
    /// <summary>Submitted to this shard and journaled.</summary>
    [JsonStringEnumMemberName("accepted")]
    Accepted,

    /// <summary>Arrived from an ally (spillover or forwarding).</summary>
    [JsonStringEnumMemberName("arrived")]
    Arrived,

    [JsonStringEnumMemberName("assigned")]
    Assigned,

    [JsonStringEnumMemberName("attemptFailed")]
    AttemptFailed,

    [JsonStringEnumMemberName("completed")]
    Completed,

    [JsonStringEnumMemberName("failed")]
    Failed,

    [JsonStringEnumMemberName("cancelled")]
    Cancelled,

    /// <summary>Sent to an ally to even out backlogs.</summary>
    [JsonStringEnumMemberName("spilled")]
    Spilled,

    /// <summary>Sent to an ally because no node of this shard can run it.</summary>
    [JsonStringEnumMemberName("forwarded")]
    Forwarded,

    /// <summary>An ally refused it; back in this shard's queue.</summary>
    [JsonStringEnumMemberName("returned")]
    Returned,

    /// <summary>The shard refused the submission (the detail says why); the job was never taken.</summary>
    [JsonStringEnumMemberName("rejected")]
    Rejected,

    /// <summary>Taken back from a node whose drain deadline passed; back at the front of the queue, no attempt charged.</summary>
    [JsonStringEnumMemberName("withdrawn")]
    Withdrawn,

    /// <summary>The owner put the failed job back in the queue (the detail says who), with a fresh allowance of attempts.</summary>
    [JsonStringEnumMemberName("requeued")]
    Requeued,
}

/// <summary>
/// One line of a job timeline (<c>events.ndjson</c>), derived from a router's journal entries. <see cref="Tick"/> is
/// the router's tick; on the live fleet <see cref="AtMs"/> is the wall-clock time the entry was journaled.
/// </summary>
public readonly record struct TimelineEvent(long Tick, string JobId, JobEventKind Kind, string Shard, string? Node, int Attempt, string? Detail, long AtMs = 0);

/// <summary>The names job events go by in JSON and on the wire.</summary>
public static class JobEventNames
{
    private static readonly string[] Names =
        Enum.GetValues<JobEventKind>().Select(k => char.ToLowerInvariant(k.ToString()[0]) + k.ToString()[1..]).ToArray();

    public static string Of(JobEventKind kind) => Names[(int)kind];
}

public static class JournalTimeline
{
    /// <summary>The job events an entry stands for (node, ally and parameter entries stand for none).</summary>
    public static void Append(string shard, JournalEntry entry, List<TimelineEvent> into)
    {
        switch (entry)
        {
            case JobAccepted e:
                into.Add(new TimelineEvent(e.Tick, e.JobId, e.FromShard is null ? JobEventKind.Accepted : JobEventKind.Arrived, shard, null, e.AttemptsUsed, e.FromShard));
                break;
            case JobAssigned e:
                into.Add(new TimelineEvent(e.Tick, e.JobId, JobEventKind.Assigned, shard, e.NodeId, e.Attempt, null));
                break;
            case AttemptFailed e:
                into.Add(new TimelineEvent(e.Tick, e.JobId, JobEventKind.AttemptFailed, shard, e.NodeId, e.Attempt, e.Reason));
                break;
            case JobCompleted e:
                into.Add(new TimelineEvent(e.Tick, e.JobId, JobEventKind.Completed, shard, e.NodeId, e.Attempt, null));
                break;
            case JobRequeued e:
                into.Add(new TimelineEvent(e.Tick, e.JobId, JobEventKind.Requeued, shard, null, e.AttemptsUsed, $"requeued by {e.Actor}"));
                break;
            case AttemptWithdrawn e:
                into.Add(new TimelineEvent(e.Tick, e.JobId, JobEventKind.Withdrawn, shard, e.NodeId, e.Attempt, e.Reason));
                break;
            case JobFailed e:
                into.Add(new TimelineEvent(e.Tick, e.JobId, JobEventKind.Failed, shard, null, 0, e.Reason));
                break;
            case JobCancelled e:
                into.Add(new TimelineEvent(e.Tick, e.JobId, JobEventKind.Cancelled, shard, null, 0, e.Reason));
                break;
            case JobsSentToShard e:
                foreach (var id in e.JobIds)
                {
                    into.Add(new TimelineEvent(e.Tick, id, e.Reason == Contracts.TransferReason.Spillover ? JobEventKind.Spilled : JobEventKind.Forwarded, shard, null, 0, e.ToShard));
                }

                break;
            case TransferSettled e:
                foreach (var id in e.Rejected)
                {
                    into.Add(new TimelineEvent(e.Tick, id, JobEventKind.Returned, shard, null, 0, e.RejectionReason));
                }

                break;
        }
    }
}
