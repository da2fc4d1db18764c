using System.Collections.Immutable;

namespace Planetary.AppHost.Supervision;

/// <summary>
/// Properties the supervisor adds to a resource's snapshot, shown (highlighted) in the dashboard's resource details.
/// </summary>
public static class SupervisorProperties
{
    /// <summary>How many times the supervisor restarted the resource (an integer).</summary>
    public const string Restarts = "supervisor.restarts";

    /// <summary>What the supervisor saw last, e.g. "exited (code 137) after 00:00:41; restarted after 1 s".</summary>
    public const string LastEvent = "supervisor.lastEvent";

    internal static ImmutableArray<ResourcePropertySnapshot> With(
        this ImmutableArray<ResourcePropertySnapshot> properties, string name, string displayName, object? value) =>
        properties.RemoveAll(property => property.Name == name)
            .Add(new ResourcePropertySnapshot(name, value) { DisplayName = displayName, IsHighlighted = true });
}
