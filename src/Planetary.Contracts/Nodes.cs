namespace Planetary.Contracts;

/// <summary>Command to a node agent: run these jobs. One message carries every assignment of a tick.</summary>
public sealed record AssignJobs(string ShardId, string NodeId, IReadOnlyList<JobAssignment> Assignments);

/// <summary>One job attempt handed to a node, with the job's trace context.</summary>
public sealed record JobAssignment(string JobId, int Attempt, string Template, IReadOnlyList<string> Capabilities, int DurationTicks, string? TraceParent = null);

/// <summary>The outcome of one attempt as the node saw it.</summary>
public sealed record JobResult(string JobId, int Attempt, bool Succeeded, string? FailureReason);

/// <summary>Command to a router from a node: these attempts finished. Resent until acknowledged.</summary>
public sealed record ReportJobResults(string ShardId, string NodeId, IReadOnlyList<JobResult> Results);

/// <summary>Command to a node from its router: these results are journaled; stop resending them.</summary>
public sealed record AcknowledgeJobResults(string ShardId, string NodeId, IReadOnlyList<JobAttemptRef> Results);

/// <summary>Command to a router: a node joins the marketplace (sent when the agent starts or comes back).</summary>
public sealed record RegisterNode(
    string ShardId,
    string NodeId,
    IReadOnlyList<string> Capabilities,
    int Slots,
    double Reliability,
    long ParameterVersion);

/// <summary>Command to a router: a node is alive and running exactly these attempts.</summary>
public sealed record NodeHeartbeat(
    string ShardId,
    string NodeId,
    IReadOnlyList<string> Capabilities,
    int Slots,
    long ParameterVersion,
    IReadOnlyList<JobAttemptRef> Running);

/// <summary>
/// Command to a node agent from its router: stop these attempts now and free their slots (their jobs were cancelled);
/// no result is reported for them.
/// </summary>
public sealed record StopAttempts(string ShardId, string NodeId, IReadOnlyList<JobAttemptRef> Attempts, string Reason);

/// <summary>Command to a node agent (a drill fault): go silent for this many ticks and lose running work.</summary>
public sealed record TakeNodeOffline(string NodeId, int Ticks, string Actor);

/// <summary>Event: a node agent's own account of itself (published every status interval).</summary>
public sealed record NodeStatusReported(
    string NodeId,
    string ShardId,
    bool Online,
    int Running,
    int Slots,
    long ParameterVersion,
    long Started,
    long Succeeded,
    long Failed,
    long Rejected,
    long Stopped,
    long LostToOutage,
    long Outages,
    long BusyTicks,
    string InstanceId,
    int ProcessId);
