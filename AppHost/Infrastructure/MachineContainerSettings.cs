using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.Json;
using Microsoft.Extensions.FileProviders;

namespace Planetary.AppHost.Infrastructure;

/// <summary>
/// <c>.tmp/containers.json</c> in the repository, written by <c>scripts/containers.sh</c> on a machine without an
/// image registry: the container runtime (<c>ASPIRE_CONTAINER_RUNTIME=podman</c>) and the locally built images
/// (<c>Infrastructure:Containers:*Image</c>). Read when present, below the environment and the command line, so
/// either still overrides it. Without the file the defaults apply: Docker and the official images.
/// </summary>
internal static class MachineContainerSettings
{
    public static void AddTo(IDistributedApplicationBuilder builder)
    {
        var path = Path.GetFullPath(Path.Combine(builder.AppHostDirectory, "..", ".tmp", "containers.json"));
        if (!File.Exists(path))
        {
            return;
        }

        var source = new JsonConfigurationSource
        {
            Path = Path.GetFileName(path),
            FileProvider = new PhysicalFileProvider(Path.GetDirectoryName(path)!),
            Optional = true,
        };
        // Above appsettings*.json (which name the official images by leaving the settings empty), below user secrets,
        // the environment and the command line.
        var sources = ((IConfigurationBuilder)builder.Configuration).Sources;
        var lastAppSettings = sources.Select((candidate, index) => (candidate, index))
            .LastOrDefault(entry => entry.candidate is JsonConfigurationSource { Path: { } name } &&
                                    name.StartsWith("appsettings", StringComparison.OrdinalIgnoreCase), (null!, -1)).index;
        sources.Insert(lastAppSettings + 1, source);
    }
}
