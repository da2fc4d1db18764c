using System.ComponentModel;
using System.Diagnostics;

namespace Planetary.AppHost.Infrastructure;

/// <summary>
/// Asks the container runtime CLI (<c>docker</c>, or the one named by <c>ASPIRE_CONTAINER_RUNTIME</c>) for
/// <c>info</c>. Aspire's container resources never finish starting without a working runtime, so the choice
/// has to be made before they are added.
/// </summary>
internal static class ContainerRuntimeDetector
{
    private const string RuntimeVariable = "ASPIRE_CONTAINER_RUNTIME";

    public static ContainerRuntimeStatus Probe(TimeSpan timeout)
    {
        var runtime = Environment.GetEnvironmentVariable(RuntimeVariable) is { Length: > 0 } configured ? configured : "docker";
        var startInfo = new ProcessStartInfo(runtime, "info")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };

        Process process;
        try
        {
            process = Process.Start(startInfo) ?? throw new Win32Exception($"{runtime} did not start");
        }
        catch (Win32Exception exception)
        {
            return new ContainerRuntimeStatus(false, $"'{runtime}' is not available ({exception.Message})");
        }

        using (process)
        {
            // Drain the pipes so a chatty CLI cannot block on a full buffer.
            _ = process.StandardOutput.ReadToEndAsync();
            _ = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(timeout))
            {
                process.Kill(entireProcessTree: true);
                return new ContainerRuntimeStatus(false, $"'{runtime} info' did not answer within {timeout.TotalSeconds:0} s");
            }

            return process.ExitCode == 0
                ? new ContainerRuntimeStatus(true, $"'{runtime} info' succeeded")
                : new ContainerRuntimeStatus(false, $"'{runtime} info' exited with code {process.ExitCode}");
        }
    }
}

/// <summary>Whether a container runtime works, and why (for the start-up log).</summary>
internal sealed record ContainerRuntimeStatus(bool IsAvailable, string Reason);
