using Planetary.Fabric.Drills;
using Planetary.Fabric.Hosting.Messaging;
using Planetary.Fabric.Hosting.Redis;
using Planetary.Fabric.Manifest;
using Planetary.Fabric.Runtime.Ports;
using Planetary.OwnerControl.Fleet;

namespace Planetary.OwnerControl.Drills;

/// <summary>Everything one live drill works with.</summary>
/// <param name="Manifest">The manifest with the owner's parameters when the drill starts.</param>
/// <param name="Genesis">The genesis manifest (router states are rebuilt over it for the final accounting).</param>
public sealed record DrillContext(
    string Id,
    string JobPrefix,
    string Actor,
    long StartedAtMs,
    DrillPlan Plan,
    FabricManifest Manifest,
    FabricManifest Genesis,
    DrillOptions Options,
    FleetView Fleet,
    Books Books,
    ParameterStore Parameters,
    RedisSnapshotStore Snapshots,
    IJournalStore Journal,
    ISnapshotStore SnapshotStore,
    EffectDispatcher Dispatcher,
    IOwnerParameterChanger Changer,
    TimeProvider Time,
    ILogger Logger);
