using Planetary.Fabric.Runtime.Ports;

namespace Planetary.Fabric.Runtime.Routers;

/// <summary>Everything a router process works with, besides its core.</summary>
public sealed record RouterPorts(
    IJournalStore Journal,
    IJobRegistry Registry,
    ISnapshotStore Snapshots,
    IParameterSource Parameters,
    IEffectBus Bus,
    IProcessControl Process,
    TimeProvider Time);
