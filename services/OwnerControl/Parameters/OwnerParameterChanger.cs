using Planetary.Fabric.Runtime.Drills;
using Planetary.Fabric.Runtime.Ports;
using Planetary.OwnerControl.Drills;

namespace Planetary.OwnerControl.Parameters;

/// <summary>The drills' way to change a parameter: the same validated, audited, versioned and broadcast path as the API.</summary>
public sealed class OwnerParameterChanger(OwnerParameters parameters) : IOwnerParameterChanger
{
    public async Task<OwnerChangeOutcome> ChangeAsync(string path, string value, string actor, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested(); // once started, a change is stored and broadcast whole
        OwnerChange change;
        try
        {
            change = await parameters.ChangeAsync(path, value, actor);
        }
        catch (Exception e) when (e is StateStoreUnavailableException or StackExchange.Redis.RedisException or TimeoutException)
        {
            return new OwnerChangeOutcome(false, null, null, 0, 0, $"the state store is not answering ({e.Message}); nothing was changed", Unavailable: true);
        }

        return change.Applied
            ? new OwnerChangeOutcome(true, change.Result.Before, change.Result.After, change.Version, change.AtMs, null)
            : new OwnerChangeOutcome(false, null, null, 0, 0,
                change.Conflict ? $"other owner changes kept winning while {path} was being changed; nothing was stored" : change.Result.Problem);
    }
}
