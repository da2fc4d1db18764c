using System.Text;

namespace Planetary.AppHost.Fleet;

/// <summary>
/// Resource names of the fleet: lowercase-kebab, derived from the manifest's ids (which may hold upper case and
/// '_', neither of which Aspire allows in a resource name).
/// </summary>
public static class FleetNames
{
    /// <summary>The owner's HTTP API (parameters, drills, faults, pause/resume).</summary>
    public const string OwnerControl = "owner-control";

    /// <summary>The service that writes router snapshots.</summary>
    public const string Checkpointer = "checkpointer";

    /// <summary>The generated (or configured) bearer token of the owner's API.</summary>
    public const string OwnerToken = "owner-token";

    private const int MaxResourceNameLength = 64;

    /// <summary><c>router-{shardId}</c>, e.g. <c>router-earth</c>.</summary>
    public static string Router(string shardId) => Kebab("router", shardId);

    /// <summary><c>agent-{nodeId}</c> lowercased, e.g. <c>agent-earth-titan-01</c> for <c>EARTH-TITAN-01</c>.</summary>
    public static string Agent(string nodeId) => Kebab("agent", nodeId);

    /// <summary>
    /// <c>prefix-id</c> in lower case, '_' turned into '-', no doubled or trailing '-', at most 64 characters.
    /// Distinct ids can collide (<c>a_b</c> and <c>A-B</c>); the fleet builder rejects such a manifest.
    /// </summary>
    private static string Kebab(string prefix, string id)
    {
        var slug = new StringBuilder(id.Length);
        foreach (var c in id.ToLowerInvariant())
        {
            if (char.IsAsciiLetterOrDigit(c))
            {
                slug.Append(c);
            }
            else if (slug.Length > 0 && slug[^1] != '-')
            {
                slug.Append('-');
            }
        }

        var text = slug.ToString().TrimEnd('-');
        if (text.Length == 0)
        {
            throw new ArgumentException($"'{id}' has no letter or digit to name a resource after.", nameof(id));
        }

        var name = $"{prefix}-{text}";
        return name.Length <= MaxResourceNameLength ? name : name[..MaxResourceNameLength].TrimEnd('-');
    }
}
