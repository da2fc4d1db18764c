using System.Globalization;
using Planetary.AppHost.Supervision;

namespace Planetary.AppHost.Tests;

/// <summary>
/// Reads the supervisor's restart count from a resource's snapshot. The supervisor publishes the count in its own
/// update, which can arrive after the update that shows the new process healthy, so a test waits for the count.
/// </summary>
internal static class SupervisorSnapshots
{
    public static int Restarts(CustomResourceSnapshot snapshot) =>
        snapshot.Properties.FirstOrDefault(property => property.Name == SupervisorProperties.Restarts)?.Value is { } value
            ? Convert.ToInt32(value, CultureInfo.InvariantCulture)
            : 0;

    public static async Task<int> WaitForRestartsAsync(
        this ResourceNotificationService notifications, string name, int expected, CancellationToken cancellationToken)
    {
        var resourceEvent = await notifications.WaitForResourceAsync(
                name, candidate => Restarts(candidate.Snapshot) >= expected, cancellationToken)
            .WaitAsync(TestTimeouts.Resource, cancellationToken);
        return Restarts(resourceEvent.Snapshot);
    }
}
