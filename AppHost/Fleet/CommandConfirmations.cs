using Microsoft.Extensions.DependencyInjection;

namespace Planetary.AppHost.Fleet;

/// <summary>
/// The dashboard's own Stop and Restart buttons on a fabric service ask before they act: a stopped router stops its
/// shard (the supervisor leaves a stopped service stopped), a restarted one drops its in-flight work back to its
/// journal. The owner's commands say what they do in their own confirmations (<see cref="OwnerCommands"/>).
/// </summary>
internal static class CommandConfirmations
{
    public static IResourceBuilder<ProjectResource> WithConfirmedLifecycleCommands(this IResourceBuilder<ProjectResource> service, string consequence)
    {
        // The orchestrator adds its lifecycle commands as it creates the resources: amend them once they exist, and
        // publish the resource again so the dashboard gets the amended commands.
        service.ApplicationBuilder.Eventing.Subscribe<AfterResourcesCreatedEvent>(async (created, _) =>
        {
            var stop = Confirm(service.Resource, KnownResourceCommands.StopCommand, $"Stop {service.Resource.Name}? {consequence} It stays stopped until you start it.");
            var restart = Confirm(service.Resource, KnownResourceCommands.RestartCommand, $"Restart {service.Resource.Name}? {consequence} It comes back in a few seconds.");
            if (stop || restart)
            {
                await created.Services.GetRequiredService<ResourceNotificationService>().PublishUpdateAsync(service.Resource, snapshot => snapshot);
            }
        });
        return service;
    }

    /// <summary>Gives the command a confirmation (true) unless it has one or does not exist.</summary>
    private static bool Confirm(IResource resource, string commandName, string message)
    {
        var command = resource.Annotations.OfType<ResourceCommandAnnotation>().LastOrDefault(c => c.Name == commandName);
        if (command is null || !string.IsNullOrEmpty(command.ConfirmationMessage))
        {
            return false;
        }

        resource.Annotations.Remove(command);
        resource.Annotations.Add(new ResourceCommandAnnotation(
            command.Name,
            command.DisplayName,
            command.UpdateState,
            command.ExecuteCommand,
            command.DisplayDescription,
            command.Arguments,
            message,
            command.IconName,
            command.IconVariant,
            command.IsHighlighted,
            command.Visibility,
            command.ValidateArguments));
        return true;
    }
}
