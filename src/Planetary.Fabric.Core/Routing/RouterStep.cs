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

    // Where each node's assignments are among the effects, so that appended steps add to one message per node.
    private Dictionary<string, int>? _assignmentsAt;

    /// <summary>
    /// Adds a later step of the same batch (one commit): its entries, outcomes and refusals after these, its effects
    /// after these except its assignments, which join this step's message to the same node. A batch of results that
    /// each freed a slot sends each node one <see cref="AssignJobs"/>, not one per result.
    /// </summary>
    public void Append(RouterStep step)
    {
        Entries.AddRange(step.Entries);
        Outcomes.AddRange(step.Outcomes);
        Refusals.AddRange(step.Refusals);
        foreach (var effect in step.Effects)
        {
            if (effect is Send { Message: AssignJobs assign })
            {
                _assignmentsAt ??= new Dictionary<string, int>(StringComparer.Ordinal);
                if (_assignmentsAt.TryGetValue(assign.NodeId, out var at))
                {
                    var send = (Send)Effects[at];
                    var earlier = (AssignJobs)send.Message;
                    Effects[at] = send with { Message = earlier with { Assignments = [.. earlier.Assignments, .. assign.Assignments] } };
                    continue;
                }

                _assignmentsAt[assign.NodeId] = Effects.Count;
            }

            Effects.Add(effect);
        }
    }
}
