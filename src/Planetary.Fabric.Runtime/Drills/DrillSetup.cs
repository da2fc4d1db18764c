using Planetary.Fabric.Drills;
using Planetary.Fabric.Manifest;

namespace Planetary.Fabric.Runtime.Drills;

/// <summary>Where a drill runs.</summary>
public enum DrillMode
{
    Simulated,
    Live,
}

/// <summary>What one drill is: its plan and the fabric it runs on.</summary>
/// <param name="RunId">Prefix of the drill's job ids and batch ids, unique per drill.</param>
/// <param name="Manifest">The manifest with the owner's parameters when the drill starts.</param>
/// <param name="Genesis">The genesis manifest router states are rebuilt over.</param>
/// <param name="StallAfterTicks">The drill stops when no job has finished for this many ticks.</param>
public sealed record DrillSetup(
    string Id,
    string RunId,
    string Actor,
    DrillMode Mode,
    DrillPlan Plan,
    FabricManifest Manifest,
    FabricManifest Genesis,
    long StallAfterTicks);
