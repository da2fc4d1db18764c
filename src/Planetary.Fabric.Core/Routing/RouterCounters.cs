using System.Text.Json.Serialization;

namespace Planetary.Fabric.Routing;

/// <summary>Measured totals of one router, folded from its journal (they survive restarts).</summary>
public sealed class RouterCounters
{
    [JsonInclude]
    public long Submitted { get; internal set; }

    [JsonInclude]
    public long ArrivedByTransfer { get; internal set; }

    [JsonInclude]
    public long Assignments { get; internal set; }

    [JsonInclude]
    public long AttemptsFailed { get; internal set; }

    /// <summary>Attempts taken back from draining nodes at their deadline (not charged to the jobs).</summary>
    [JsonInclude]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public long AttemptsWithdrawn { get; internal set; }

    /// <summary>Failed jobs the owner put back in the queue.</summary>
    [JsonInclude]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public long Requeued { get; internal set; }

    [JsonInclude]
    public long Completed { get; internal set; }

    [JsonInclude]
    public long Failed { get; internal set; }

    [JsonInclude]
    public long Cancelled { get; internal set; }

    [JsonInclude]
    public long SpilledOut { get; internal set; }

    [JsonInclude]
    public long ForwardedOut { get; internal set; }

    [JsonInclude]
    public long Spillovers { get; internal set; }

    [JsonInclude]
    public long TransferRejections { get; internal set; }

    [JsonInclude]
    public long Recoveries { get; internal set; }

    public RouterCounters Clone() => (RouterCounters)MemberwiseClone();
}
