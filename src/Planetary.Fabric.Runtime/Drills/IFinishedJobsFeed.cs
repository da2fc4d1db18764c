namespace Planetary.Fabric.Runtime.Drills;

/// <summary>
/// Optional for an <see cref="IDrillFleet"/>: a fleet whose books can say which job ids they took an outcome for since
/// it was last asked (the simulated fleet: its store sees every outcome written). The drill engine then asks the books
/// only about those and about jobs it started following since, instead of every open job every tick; what it finds is
/// the same, because a job is in the books with an outcome only once the books took it.
/// </summary>
public interface IFinishedJobsFeed
{
    /// <summary>Adds to <paramref name="into"/> the ids the books took an outcome for since the previous call (an id may repeat).</summary>
    void TakeFinishedSince(List<string> into);
}
