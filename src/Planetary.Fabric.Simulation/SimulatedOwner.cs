using Planetary.Contracts;
using Planetary.Fabric.Effects;
using Planetary.Fabric.Manifest;
using Planetary.Fabric.Parameters;
using Planetary.Fabric.Reporting;

namespace Planetary.Fabric.Simulation;

/// <summary>
/// The owner in virtual time: validates a change with the core's catalog, records it in the owner log, publishes
/// the complete parameter set, and republishes until every service reports the new version.
/// </summary>
public sealed class SimulatedOwner(FabricManifest genesis, IReadOnlyList<string> services, int republishEveryTicks)
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

        Manifest = result.Manifest!;
        Version++;
        Log.Add(new OwnerLogEntry(Version, actor, path, result.Before, result.After, tick, 0));
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
        effects.Add(new Publish(new FabricParametersPublished(Version, ParameterCatalog.Flatten(Manifest), path, actor, 0)));
    }
}
