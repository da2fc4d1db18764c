using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;

namespace Planetary.Console.Tests;

/// <summary>What the Aspire dashboard shows of the fleet: the console's URL, confirmations, the fabric's own states.</summary>
[Collection(ConsoleFleetCollection.Name)]
public sealed class DashboardTests(ConsoleFleet fleet)
{
    [Fact]
    public void Owner_control_links_to_the_console_and_destructive_commands_ask_first()
    {
        Assert.True(fleet.App.ResourceNotifications.TryGetCurrentState("owner-control", out var owner));
        Assert.Contains(owner.Snapshot.Urls, url => url.DisplayProperties.DisplayName == "Owner console" && url.Url.TrimEnd('/') == fleet.ConsoleUrl);
        Assert.Contains(owner.Snapshot.Urls, url => url.Url.EndsWith("/openapi/v1.json", StringComparison.Ordinal));

        foreach (var name in fleet.ResourceNames)
        {
            Assert.True(fleet.App.ResourceNotifications.TryGetCurrentState(name, out var resource), name);
            foreach (var command in new[] { KnownResourceCommands.StopCommand, KnownResourceCommands.RestartCommand })
            {
                var snapshot = resource.Snapshot.Commands.Single(c => c.Name == command);
                Assert.False(string.IsNullOrEmpty(snapshot.ConfirmationMessage),
                    $"{name}: {command} asks for no confirmation; commands: " + string.Join(", ", resource.Snapshot.Commands.Select(c => $"{c.Name} [{c.ConfirmationMessage}]")));
                Assert.Contains(name, snapshot.ConfirmationMessage);
            }
        }

        Assert.True(fleet.App.ResourceNotifications.TryGetCurrentState("owner-control", out var again));
        Assert.All(again.Snapshot.Commands.Where(c => c.Name is "run-drill" or "pause-fabric"), c => Assert.False(string.IsNullOrEmpty(c.ConfirmationMessage)));
    }
}
