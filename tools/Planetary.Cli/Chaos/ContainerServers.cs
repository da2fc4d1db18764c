using System.Diagnostics;
using Planetary.Fabric.Runtime.Chaos;

namespace Planetary.Cli.Chaos;

/// <summary>RabbitMQ and Redis when the fleet runs them as containers: found and killed through the Podman command.</summary>
public static class ContainerServers
{
    /// <summary>kill -9 of the container of a server resource (<c>eventbus</c>, <c>state</c>); the app host starts it again.</summary>
    public static async Task<ChaosInjection> KillAsync(string resource, CancellationToken cancellationToken)
    {
        var listed = await PodmanAsync(["ps", "--format", "{{.ID}} {{.Names}}"], cancellationToken);
        if (listed is null)
        {
            return new ChaosInjection(false, resource, $"{resource} is neither a local process of the fleet nor a container Podman lists");
        }

        var container = listed.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(' ', 2))
            .FirstOrDefault(fields => fields.Length == 2 && fields[1].StartsWith(resource + "-", StringComparison.Ordinal));
        if (container is null)
        {
            return new ChaosInjection(false, resource, $"no running container of {resource}");
        }

        return await PodmanAsync(["kill", "--signal", "KILL", container[0]], cancellationToken) is null
            ? new ChaosInjection(false, resource, $"podman kill of container {container[1]} failed")
            : new ChaosInjection(true, resource, $"podman kill --signal KILL of container {container[1]}; the app host starts it again with its volume");
    }

    private static async Task<string?> PodmanAsync(IEnumerable<string> arguments, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("podman") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        try
        {
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
            _ = process.StandardError.ReadToEndAsync(cancellationToken);
            await process.WaitForExitAsync(cancellationToken);
            return process.ExitCode == 0 ? await output : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null; // no podman on this machine
        }
    }
}
