namespace Planetary.Fabric.Routing;

/// <summary>Measured totals of one router, folded from its journal (they survive restarts).</summary>
public sealed class RouterCounters
{
    public long Submitted { get; set; }

    public long ArrivedByTransfer { get; set; }

    public long Assignments { get; set; }

    public long AttemptsFailed { get; set; }

    public long Completed { get; set; }

    public long Failed { get; set; }

    public long Cancelled { get; set; }

    public long SpilledOut { get; set; }

    public long ForwardedOut { get; set; }

    public long Spillovers { get; set; }

    public long TransferRejections { get; set; }

    public long Recoveries { get; set; }

    public RouterCounters Clone() => (RouterCounters)MemberwiseClone();
}
