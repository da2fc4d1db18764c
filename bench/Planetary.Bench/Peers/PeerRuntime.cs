using System.Diagnostics;

namespace Planetary.Bench.Peers;

/// <summary>Where the peers' scripts and runtimes are: the repository's <c>bench/peers/</c>, and executables on the PATH.</summary>
public static class PeerRuntime
{
    /// <summary>
    /// <c>bench/peers/NAME</c> of the repository, found from the current directory or from the executable's own folder
    /// (walking up to the folder holding <c>Planetary.Aspire.sln</c>).
    /// </summary>
    public static string ScriptFolder(string peer)
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
            {
                if (File.Exists(Path.Combine(directory.FullName, "Planetary.Aspire.sln")))
                {
                    return Path.Combine(directory.FullName, "bench", "peers", peer);
                }
            }
        }

        throw new PeerRunException("the repository (Planetary.Aspire.sln) is not above the current directory nor the bench's executable");
    }

    /// <summary>The first executable of that name on the PATH, or null.</summary>
    public static string? OnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
        .Select(directory => Path.Combine(directory, name))
        .FirstOrDefault(File.Exists);

    /// <summary>
    /// The first of the PATH's <c>python3</c> and Debian's <c>/usr/bin/python3</c> that imports every one of
    /// <paramref name="modules"/> (a pyenv or virtual-env python3 earlier on the PATH may lack Debian's packages), or null.
    /// </summary>
    public static string? PythonWith(params string[] modules) =>
        new[] { OnPath("python3"), "/usr/bin/python3" }.OfType<string>().Distinct().FirstOrDefault(python => File.Exists(python) && Imports(python, modules));

    private static bool Imports(string python, string[] modules)
    {
        var start = new ProcessStartInfo(python) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add($"import {string.Join(", ", modules)}");
        using var process = Process.Start(start)!;
        process.WaitForExit();
        return process.ExitCode == 0;
    }
}
