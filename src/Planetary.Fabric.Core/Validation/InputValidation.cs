using Planetary.Contracts;
using Planetary.Fabric.Agents;
using Planetary.Fabric.Routing;

namespace Planetary.Fabric.Validation;

/// <summary>
/// The shape every input must have before a state machine sees it: the fields it reads are present and in range. A
/// message that fails is not the core's to judge (a business refusal, like an unknown template, is); it is quarantined
/// in its queue's error queue with the reason, and the service keeps serving. Messages come from the bus, where anyone
/// who can publish can send anything.
/// </summary>
public static class InputValidation
{
    /// <summary>What is wrong with a router input, or null when it is well formed.</summary>
    public static string? ProblemWith(RouterInput input) => input switch
    {
        RouterInput.Submit { Job: var m } => Submission(m),
        RouterInput.Results { Report: var m } => Results(m),
        RouterInput.Heartbeat { Beat: var m } => Node(m.ShardId, m.NodeId, m.Capabilities, m.Slots) ?? Attempts(m.Running, "running"),
        RouterInput.Registration { Node: var m } => Node(m.ShardId, m.NodeId, m.Capabilities, m.Slots),
        RouterInput.TransferIn { Transfer: var m } => Transfer(m),
        RouterInput.Settlement { Settle: var m } => Settlement(m),
        RouterInput.AllyLoad { Load: var m } => Load(m),
        RouterInput.Parameters { Published: var m } => m is null || m.Values is null ? "the parameters message has no values" : null,
        RouterInput.Cancel { Request: var m } => m is null ? "the message is empty" : Missing(m.ShardId, "shardId") ?? JobId(m.JobId, "jobId") ?? Missing(m.Actor, "actor"),
        RouterInput.Requeue { Request: var m } => m is null ? "the message is empty" : Missing(m.ShardId, "shardId") ?? Missing(m.Actor, "actor") ?? Items(m.JobIds, "jobIds", (id, path) => JobId(id, path)),
        _ => $"{input.GetType().Name} is not a router input",
    };

    /// <summary>What is wrong with an agent input, or null when it is well formed.</summary>
    public static string? ProblemWith(AgentInput input) => input switch
    {
        AgentInput.Assign { Assignments: var m } => m is null ? "the message is empty" : Missing(m.ShardId, "shardId") ?? Missing(m.NodeId, "nodeId") ?? Items(m.Assignments, "assignments", Assignment),
        AgentInput.Acknowledge { Acknowledged: var m } => m is null ? "the message is empty" : Missing(m.NodeId, "nodeId") ?? Attempts(m.Results, "results"),
        AgentInput.TakeOffline { Request: var m } => m is null ? "the message is empty" : Missing(m.NodeId, "nodeId") ?? (m.Ticks is < 1 or > 10_000_000 ? $"ticks must be 1 to 10,000,000, got {m.Ticks}" : null),
        AgentInput.Parameters { Published: var m } => m is null || m.Values is null ? "the parameters message has no values" : null,
        AgentInput.Stop { Request: var m } => m is null ? "the message is empty" : Missing(m.NodeId, "nodeId") ?? Attempts(m.Attempts, "attempts"),
        _ => $"{input.GetType().Name} is not an agent input",
    };

    private static string? Submission(SubmitJobs m) =>
        m is null ? "the message is empty"
        : Missing(m.SubmissionId, "submissionId") ?? Missing(m.ShardId, "shardId")
          ?? Items(m.Jobs, "jobs", (j, path) => JobId(j.JobId, $"{path}.jobId") ?? Missing(j.Template, $"{path}.template"));

    private static string? Results(ReportJobResults m) =>
        m is null ? "the message is empty"
        : Missing(m.ShardId, "shardId") ?? Missing(m.NodeId, "nodeId")
          ?? Items(m.Results, "results", (r, path) => JobId(r.JobId, $"{path}.jobId") ?? (r.Attempt < 1 ? $"{path}.attempt must be at least 1, got {r.Attempt}" : null));

    private static string? Transfer(TransferJobs m) =>
        m is null ? "the message is empty"
        : Missing(m.TransferId, "transferId") ?? Missing(m.FromShard, "fromShard") ?? Missing(m.ToShard, "toShard")
          ?? Items(m.Jobs, "jobs", (j, path) =>
              JobId(j.JobId, $"{path}.jobId") ?? Missing(j.Template, $"{path}.template") ?? Missing(j.OriginShard, $"{path}.originShard")
              ?? (j.Hops < 0 || j.AttemptsUsed < 0 ? $"{path}: hops and attemptsUsed cannot be negative" : null));

    private static string? Settlement(SettleTransfer m) =>
        m is null ? "the message is empty"
        : Missing(m.TransferId, "transferId") ?? Missing(m.FromShard, "fromShard") ?? Missing(m.ToShard, "toShard")
          ?? Items(m.Accepted, "accepted", (id, path) => JobId(id, path))
          ?? Items(m.Rejected, "rejected", (r, path) => JobId(r.JobId, $"{path}.jobId"));

    private static string? Load(ShardLoadReported m) =>
        m is null ? "the message is empty"
        : Missing(m.ShardId, "shardId")
          ?? Items(m.OnlineNodeCapabilities, "onlineNodeCapabilities", (c, path) => Items(c, path, (name, p) => Missing(name, p)))
          ?? Items(m.KnownNodeCapabilities, "knownNodeCapabilities", (c, path) => Items(c, path, (name, p) => Missing(name, p)));

    private static string? Node(string shardId, string nodeId, IReadOnlyList<string> capabilities, int slots) =>
        Missing(shardId, "shardId") ?? Missing(nodeId, "nodeId") ?? Items(capabilities, "capabilities", (c, path) => Missing(c, path))
        ?? (slots is < 0 or > 1_000_000 ? $"slots must be 0 to 1,000,000, got {slots}" : null);

    private static string? Assignment(JobAssignment a, string path) =>
        JobId(a.JobId, $"{path}.jobId") ?? Missing(a.Template, $"{path}.template")
        ?? Items(a.Capabilities, $"{path}.capabilities", (c, p) => Missing(c, p))
        ?? (a.Attempt < 1 ? $"{path}.attempt must be at least 1, got {a.Attempt}" : null)
        ?? (a.DurationTicks < 0 ? $"{path}.durationTicks cannot be negative" : null);

    private static string? Attempts(IReadOnlyList<JobAttemptRef> attempts, string name) =>
        Items(attempts, name, (r, path) => JobId(r.JobId, $"{path}.jobId") ?? (r.Attempt < 1 ? $"{path}.attempt must be at least 1, got {r.Attempt}" : null));

    private static string? Items<T>(IReadOnlyList<T>? items, string name, Func<T, string, string?> check)
    {
        if (items is null)
        {
            return $"{name} is missing";
        }

        for (var i = 0; i < items.Count; i++)
        {
            var path = $"{name}[{i}]";
            if (items[i] is null)
            {
                return $"{path} is null";
            }

            if (check(items[i], path) is { } problem)
            {
                return problem;
            }
        }

        return null;
    }

    private static string? Missing(string? value, string name) => string.IsNullOrEmpty(value) ? $"{name} is missing" : null;

    private static string? JobId(string? id, string name) =>
        id is null ? $"{name} is missing" : JobIds.IsValid(id) ? null : $"{name} '{(id.Length > 40 ? id[..40] + "…" : id)}' is not a job id ({JobIds.Rule})";
}
