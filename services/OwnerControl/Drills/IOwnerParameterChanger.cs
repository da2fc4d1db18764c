using Planetary.Fabric.Runtime.Drills;

namespace Planetary.OwnerControl.Drills;

/// <summary>
/// Makes an owner parameter change exactly as <c>PUT /api/parameters/{path}</c> does (validated, audited, versioned,
/// broadcast), so a drill's mid-run change is law like any other.
/// </summary>
public interface IOwnerParameterChanger
{
    Task<OwnerChangeOutcome> ChangeAsync(string path, string value, string actor, CancellationToken cancellationToken);
}
