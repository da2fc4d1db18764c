using System.ComponentModel;
using System.Diagnostics;
using Microsoft.Extensions.Configuration;

namespace Planetary.AppHost.Infrastructure;

/// <summary>
/// The container runtime CLI Aspire uses: <c>docker</c>, or the one named by <c>ASPIRE_CONTAINER_RUNTIME</c>
/// (environment or configuration, e.g. <c>podman</c>). Aspire's container resources never finish starting without a
/// working runtime, so <see cref="Probe"/> decides before they are added.
/// </summary>
internal sealed class ContainerRuntime(string command)
{
    /// <summary>The configuration key (and environment variable) Aspire reads.</summary>
    public const string ConfigurationKey = "ASPIRE_CONTAINER_RUNTIME";

    /// <summary>The CLI, e.g. <c>docker</c> or <c>podman</c>.</summary>
    public string Command { get; } = command;

    public static ContainerRuntime From(IConfiguration configuration) =>
        new(configuration[ConfigurationKey] is { Length: > 0 } configured ? configured : "docker");

    /// <summary>Whether <c>{runtime} info</c> succeeds within the timeout, and why not.</summary>
    public ContainerRuntimeStatus Probe(TimeSpan timeout)
    {
        var result = Run(timeout, "info");
        return result.ExitCode == 0
            ? new ContainerRuntimeStatus(true, $"'{Command} info' succeeded")
            : new ContainerRuntimeStatus(false, result.Failure ?? $"'{Command} info' exited with code {result.ExitCode}");
    }

    /// <summary>Runs the CLI; the exit code (-1 when it did not start or answer) and, on failure, why.</summary>
    public (int ExitCode, string Output, string? Failure) Run(TimeSpan timeout, params string[] arguments)
    {
        var startInfo = new ProcessStartInfo(Command)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        Process process;
        try
        {
            process = Process.Start(startInfo) ?? throw new Win32Exception($"{Command} did not start");
        }
        catch (Win32Exception exception)
        {
            return (-1, string.Empty, $"'{Command}' is not available ({exception.Message})");
        }

        using (process)
        {
            // Drain the pipes so a chatty CLI cannot block on a full buffer.
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(timeout))
            {
                process.Kill(entireProcessTree: true);
                return (-1, string.Empty, $"'{Command} {string.Join(' ', arguments)}' did not answer within {timeout.TotalSeconds:0} s");
            }

            var text = output.Result + error.Result;
            return process.ExitCode == 0
                ? (0, text, null)
                : (process.ExitCode, text, $"'{Command} {string.Join(' ', arguments)}' exited with code {process.ExitCode}: {text.Trim()}");
        }
    }
}

/// <summary>Whether a container runtime works, and why (for the start-up log).</summary>
internal sealed record ContainerRuntimeStatus(bool IsAvailable, string Reason);
