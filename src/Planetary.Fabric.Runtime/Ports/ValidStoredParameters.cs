using Planetary.Fabric.Manifest;
using Planetary.Fabric.Parameters;

namespace Planetary.Fabric.Runtime.Ports;

/// <summary>
/// The one rule every shell follows for the owner's stored parameters: they are adopted only when every value parses
/// and together they make a valid manifest over the genesis; anything else is reported and ignored.
/// </summary>
/// <param name="Stored">What the store holds.</param>
/// <param name="Manifest">The manifest they give, or null when they are not valid.</param>
/// <param name="Problem">Why they are not valid, or null.</param>
public sealed record ValidStoredParameters(StoredParameters Stored, FabricManifest? Manifest, string? Problem)
{
    /// <summary>"Nothing newer": version 0, no values.</summary>
    public static readonly StoredParameters None = new(0, new Dictionary<string, string>(), 0);

    public bool IsValid => Manifest is not null;

    /// <summary>Reads and checks the stored parameters; null when the owner never changed any. The store being away throws.</summary>
    public static async ValueTask<ValidStoredParameters?> ReadAsync(IParameterSource source, FabricManifest genesis, CancellationToken cancellationToken)
    {
        if (await source.CurrentAsync(cancellationToken) is not { } stored)
        {
            return null;
        }

        return ParameterCatalog.TryApplyAll(genesis, stored.Values, out var manifest, out var problem)
            ? new ValidStoredParameters(stored, manifest, null)
            : new ValidStoredParameters(stored, null, $"stored parameters version {stored.Version}: {problem}");
    }

    /// <summary>
    /// For a published parameter set, which is only a nudge to look: the stored set if valid, else <see cref="None"/> —
    /// also when the store does not answer (owner control republishes until every service has applied the version).
    /// </summary>
    public static async ValueTask<StoredParameters> ForNudgeAsync(IParameterSource source, FabricManifest genesis, Action<ValidStoredParameters> invalid, CancellationToken cancellationToken)
    {
        try
        {
            switch (await ReadAsync(source, genesis, cancellationToken))
            {
                case { IsValid: true } valid:
                    return valid.Stored;
                case { } refused:
                    invalid(refused);
                    return None;
                default:
                    return None;
            }
        }
        catch (StateStoreUnavailableException)
        {
            return None;
        }
    }
}
