using Planetary.Contracts;
using Planetary.Fabric.Effects;
using Planetary.Fabric.Manifest;
using Planetary.Fabric.Parameters;
using Planetary.Fabric.Reporting;
using Planetary.Fabric.Runtime.Ports;
using Planetary.Fabric.Simulation.Ports;

namespace Planetary.Fabric.Simulation;

/// <summary>
/// The owner in virtual time, as owner control does it live: validates a change with the core's catalog, stores the
/// new values and the audit entry (refused while the state store is down), publishes the complete parameter set, and
/// republishes until every service reports the new version.
/// </summary>
public sealed class SimulatedOwner(FabricManifest genesis, MemoryStateStore store, TimeProvider time, IReadOnlyList<string> services, int republishEveryTicks)
{
    private readonly Dictionary<string, long> _applied = services.ToDictionary(s => s, _ => 0L, StringComparer.Ordinal);
    private long _lastPublishTick;

    public FabricManifest Manifest { get; private set; } = genesis;

    public long Version { get; private set; }

    public List<OwnerLogEntry> Log { get; } = [];

    public IReadOnlyDictionary<string, long> AppliedVersions => _applied;

    public bool Converged => _applied.Values.All(v => v >= Version);

    public ParameterChangeResult Change(string path, string value, string actor, long tick, List<Effect> effects)
    {
        var result = ParameterChanges.TryApply(Manifest, path, value);
        if (!result.Succeeded)
        {
            return result;
        }

        var atMs = time.GetUtcNow().ToUnixTimeMilliseconds();
        if (!store.TryWriteParameters(new StoredParameters(Version + 1, ParameterCatalog.Flatten(result.Manifest!), atMs)))
        {
            return result with { Succeeded = false, Manifest = null, Problem = "the state store is not answering; nothing was changed" };
        }

        Manifest = result.Manifest!;
        Version++;
        Log.Add(new OwnerLogEntry(Version, actor, path, result.Before, result.After, tick, atMs));
        Publish(tick, effects, path, actor);
        return result;
    }

    public void OnApplied(ParametersApplied applied)
    {
        if (_applied.TryGetValue(applied.Service, out var version) && applied.Version > version)
        {
            _applied[applied.Service] = applied.Version;
        }
    }

    public void Tick(long tick, List<Effect> effects)
    {
        if (!Converged && tick - _lastPublishTick >= republishEveryTicks)
        {
            Publish(tick, effects, null, "owner");
        }
    }

    private void Publish(long tick, List<Effect> effects, string? path, string actor)
    {
        _lastPublishTick = tick;
        effects.Add(new Publish(new FabricParametersPublished(Version, ParameterCatalog.Flatten(Manifest), path, actor, time.GetUtcNow().ToUnixTimeMilliseconds())));
    }
}
