namespace Planetary.OwnerControl.Drills;

/// <summary>The outcome of an owner parameter change made through owner control's audited path.</summary>
public sealed record OwnerChangeOutcome(bool Succeeded, string? Before, string? After, long Version, long AtMs, string? Problem);

/// <summary>
/// Makes an owner parameter change exactly as <c>PUT /api/parameters/{path}</c> does (validated, audited, versioned,
/// broadcast), so a drill's mid-run change is law like any other.
/// </summary>
public interface IOwnerParameterChanger
{
    Task<OwnerChangeOutcome> ChangeAsync(string path, string value, string actor, CancellationToken cancellationToken);
}
