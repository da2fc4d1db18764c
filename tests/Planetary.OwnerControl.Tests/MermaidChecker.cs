using System.Diagnostics;

namespace Planetary.OwnerControl.Tests;

/// <summary>
/// Mermaid's own parser, run headless by Node.js (mermaid/parse.mjs with jsdom): exit 0 when the text parses. The
/// packages are installed from the committed lock file (<c>npm ci</c>) when node_modules is missing.
/// </summary>
public static class MermaidChecker
{
    private static readonly TimeSpan InstallTimeout = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan ParseTimeout = TimeSpan.FromSeconds(30);

    public static string Directory => Path.Combine(OwnerControlFixture.RepositoryRoot, "tests", "Planetary.OwnerControl.Tests", "mermaid");

    public static async Task EnsureInstalledAsync(CancellationToken cancellationToken)
    {
        var modules = Path.Combine(Directory, "node_modules");
        if (File.Exists(Path.Combine(modules, "mermaid", "package.json")) && File.Exists(Path.Combine(modules, "jsdom", "package.json")))
        {
            return;
        }

        var (exitCode, output) = await RunAsync("npm", ["ci", "--prefix", Directory, "--no-audit", "--no-fund"], null, InstallTimeout, cancellationToken);
        if (exitCode != 0)
        {
            throw new InvalidOperationException($"npm ci --prefix {Directory} failed ({exitCode}):\n{output}");
        }
    }

    /// <summary>Parses <paramref name="text"/>; exit code 0 = valid, with Mermaid's message otherwise.</summary>
    public static Task<(int ExitCode, string Output)> ParseAsync(string text, CancellationToken cancellationToken) =>
        RunAsync("node", [Path.Combine(Directory, "parse.mjs")], text, ParseTimeout, cancellationToken);

    private static async Task<(int ExitCode, string Output)> RunAsync(
        string program, IReadOnlyList<string> arguments, string? input, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Directory,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{program} did not start.");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        if (input is not null)
        {
            await process.StandardInput.WriteAsync(input);
        }

        process.StandardInput.Close();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true); // only the process this method started
            throw new TimeoutException($"{program} {string.Join(' ', arguments)} did not finish within {timeout}.");
        }

        return (process.ExitCode, (await stdout) + (await stderr));
    }
}
