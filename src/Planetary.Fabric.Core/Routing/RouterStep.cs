using Planetary.Contracts;
using Planetary.Fabric.Effects;
using Planetary.Fabric.Journal;

namespace Planetary.Fabric.Routing;

/// <summary>
/// The result of one router input: the journal entries to make durable first, then the effects to carry out,
/// and the jobs that reached their final state (for the books).
/// </summary>
public sealed class RouterStep
{
    public List<JournalEntry> Entries { get; } = [];

    public List<Effect> Effects { get; } = [];

    public List<JobOutcome> Outcomes { get; } = [];

    /// <summary>Submitted jobs this router refused: no state changes, but each shows on its job's timeline as rejected.</summary>
    public List<JobRejection> Refusals { get; } = [];

    public bool IsEmpty => Entries.Count == 0 && Effects.Count == 0 && Refusals.Count == 0;
}
