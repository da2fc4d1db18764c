using System.Diagnostics;

namespace Planetary.Cli.Tests;

/// <summary>Runs the built <c>planetary</c> program (copied next to the tests) and captures what it says.</summary>
public static class CliRunner
{
    public sealed record Run(int ExitCode, string Output, string Error);

    public static async Task<Run> PlanetaryAsync(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "planetary.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment.Remove("PLANETARY_URL");
        start.Environment.Remove("PLANETARY_TOKEN");
        start.WorkingDirectory = Path.GetTempPath(); // no .tmp/owner-token to find
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
        return new Run(process.ExitCode, await output, await error);
    }
}
