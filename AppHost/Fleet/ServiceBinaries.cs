using System.Reflection;

namespace Planetary.AppHost.Fleet;

/// <summary>
/// Starts a service's built program directly rather than through <c>dotnet run --no-build</c> (Aspire's default
/// for a project). Measured on a 2-core machine, each <c>dotnet run</c> launcher is a ~140 MB process that
/// re-evaluates the project on every start, and the PID the dashboard shows (<c>executable.pid</c>) is the
/// launcher, not the service: a <c>kill -9</c> of it leaves the service running as an orphan. Started directly,
/// <c>executable.pid</c> is the service itself. The app host's build records the output paths
/// (target <c>EmbedServiceBinaryPaths</c> in the project file); without a built program Aspire's default applies.
/// </summary>
internal static class ServiceBinaries
{
    private const string MetadataPrefix = "Planetary.ServiceBinary:";

    private static readonly IReadOnlyDictionary<string, string> OutputAssemblies = typeof(ServiceBinaries).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>()
        .Where(attribute => attribute.Key.StartsWith(MetadataPrefix, StringComparison.Ordinal) && attribute.Value is not null)
        .ToDictionary(attribute => attribute.Key[MetadataPrefix.Length..], attribute => attribute.Value!, StringComparer.Ordinal);

    /// <summary>Runs the project's built executable (its native app host) with the project directory as working directory.</summary>
    public static IResourceBuilder<ProjectResource> RunBuiltProgram(this IResourceBuilder<ProjectResource> service)
    {
        var projectPath = service.Resource.GetProjectMetadata().ProjectPath;
        if (!OutputAssemblies.TryGetValue(Path.GetFileNameWithoutExtension(projectPath), out var assembly))
        {
            return service;
        }

        var program = Path.ChangeExtension(assembly, OperatingSystem.IsWindows() ? ".exe" : null);
        return File.Exists(program)
            ? service.WithAnnotation(
                new ExecutableAnnotation { Command = program, WorkingDirectory = Path.GetDirectoryName(projectPath)! },
                ResourceAnnotationMutationBehavior.Replace)
            : service;
    }
}
