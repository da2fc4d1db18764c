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
        var messages = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [KnownResourceCommands.StopCommand] = $"Stop {service.Resource.Name}? {consequence} It stays stopped until you start it.",
            [KnownResourceCommands.RestartCommand] = $"Restart {service.Resource.Name}? {consequence} It comes back in a few seconds.",
        };

        // The orchestrator adds its lifecycle commands as it creates the resources, and a published snapshot keeps the
        // commands it first had (later updates change only their enabled state): amend both once the resources exist.
        service.ApplicationBuilder.Eventing.Subscribe<AfterResourcesCreatedEvent>(async (created, _) =>
        {
            foreach (var (name, message) in messages)
            {
                Confirm(service.Resource, name, message);
            }

            var notifications = created.Services.GetRequiredService<ResourceNotificationService>();
            if (notifications.TryGetCurrentState(service.Resource.Name, out var current))
            {
                await notifications.PublishUpdateAsync(service.Resource, current.ResourceId, snapshot => snapshot with
                {
                    Commands = [.. snapshot.Commands.Select(c => messages.TryGetValue(c.Name, out var m) && string.IsNullOrEmpty(c.ConfirmationMessage) ? c with { ConfirmationMessage = m } : c)],
                });
            }
        });
        return service;
    }

    /// <summary>Gives the command's annotation a confirmation unless it has one or does not exist.</summary>
    private static void Confirm(IResource resource, string commandName, string message)
    {
        var command = resource.Annotations.OfType<ResourceCommandAnnotation>().LastOrDefault(c => c.Name == commandName);
        if (command is null || !string.IsNullOrEmpty(command.ConfirmationMessage))
        {
            return;
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
    }
}
