using Microsoft.Extensions.Logging;

namespace Planetary.AppHost.Infrastructure;

/// <summary>One place where the servers keep data: a folder (local servers) or a volume (containers).</summary>
/// <param name="Server">Which server, e.g. "RabbitMQ" or "Redis".</param>
/// <param name="Contents">What is lost when it is deleted, in the operator's words.</param>
/// <param name="Location">The folder's absolute path or the volume's name.</param>
internal sealed record DataLocation(string Server, string Contents, string Location);

/// <summary>
/// <c>Infrastructure:Wipe=true</c>: deletes the servers' data before they start, and logs each thing it deletes and
/// what that held. Without it nothing is ever deleted: the fleet's data is durable across runs.
/// </summary>
internal static class DataWipe
{
    /// <summary>What RabbitMQ keeps: the fabric's queues and the messages in them.</summary>
    public const string BrokerContents = "queues and the messages in them (jobs on their way between services)";

    /// <summary>What Redis keeps: everything the fabric remembers.</summary>
    public const string StateContents = "journals, snapshots, the books (job outcomes and timelines), the owner log and the parameters";

    /// <summary>Deletes each folder that exists, logging it; missing folders are skipped.</summary>
    public static void DeleteFolders(ILogger logger, IEnumerable<DataLocation> folders)
    {
        foreach (var folder in folders)
        {
            if (Directory.Exists(folder.Location))
            {
                InfrastructureLog.Wiping(logger, folder.Server, folder.Location, folder.Contents);
                Directory.Delete(folder.Location, recursive: true);
            }
            else
            {
                InfrastructureLog.NothingToWipe(logger, folder.Server, folder.Location);
            }
        }
    }

    /// <summary>Removes each volume that exists with the container runtime's CLI; throws when one cannot be removed.</summary>
    public static void RemoveVolumes(ILogger logger, ContainerRuntime runtime, IEnumerable<DataLocation> volumes)
    {
        var timeout = TimeSpan.FromSeconds(30);
        foreach (var volume in volumes)
        {
            if (runtime.Run(timeout, "volume", "inspect", volume.Location).ExitCode != 0)
            {
                InfrastructureLog.NothingToWipe(logger, volume.Server, $"volume {volume.Location}");
                continue;
            }

            InfrastructureLog.Wiping(logger, volume.Server, $"volume {volume.Location}", volume.Contents);
            var removed = runtime.Run(timeout, "volume", "rm", volume.Location);
            if (removed.ExitCode != 0)
            {
                throw new InvalidOperationException(
                    $"Could not wipe {volume.Server}'s data: {removed.Failure} (is a container of an earlier run still using it?)");
            }
        }
    }
}
