namespace Planetary.Fabric.Routing;

public enum TombstoneKind
{
    Completed,
    Failed,
    Cancelled,
    MovedToAlly,
}

/// <summary>
/// What a router remembers of a job that left it, so a redelivered message cannot bring it back. <see cref="Hops"/>
/// is the job's hop count while it was here: a job that moved on and genuinely returns arrives with more hops.
/// <see cref="MovedTo"/> is the ally a moved job went to, so a cancellation that arrives late can follow it.
/// </summary>
public readonly record struct Tombstone(TombstoneKind Kind, long Tick, int Hops, string? MovedTo = null);
