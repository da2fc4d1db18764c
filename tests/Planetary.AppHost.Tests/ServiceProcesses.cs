using System.Globalization;

namespace Planetary.AppHost.Tests;

/// <summary>A project resource's process, as the snapshot reports it and as Linux sees it (<c>/proc</c>).</summary>
internal static class ServiceProcesses
{
    /// <summary>The snapshot property that carries the process id of a project or executable resource.</summary>
    public const string PidProperty = "executable.pid";

    public static int Pid(CustomResourceSnapshot snapshot) =>
        TryPid(snapshot) ?? throw new InvalidOperationException($"The snapshot has no {PidProperty}.");

    /// <summary>The process id; null while no process runs (the property is empty then).</summary>
    public static int? TryPid(CustomResourceSnapshot snapshot) =>
        snapshot.Properties.FirstOrDefault(property => property.Name == PidProperty)?.Value is { } value &&
        Convert.ToInt32(value, CultureInfo.InvariantCulture) is var pid and > 0
            ? pid
            : null;

    /// <summary>The program and arguments of a running process ("" when it is gone).</summary>
    public static string CommandLine(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ').Trim();
        }
        catch (IOException)
        {
            return string.Empty;
        }
    }

    /// <summary>The environment a running process was started with (empty when it is gone).</summary>
    public static IReadOnlyDictionary<string, string> Environment(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/environ")
                .Split('\0', StringSplitOptions.RemoveEmptyEntries)
                .Select(entry => entry.Split('=', 2))
                .Where(pair => pair.Length == 2)
                .GroupBy(pair => pair[0], StringComparer.Ordinal)
                .ToDictionary(group => group.Key, group => group.Last()[1], StringComparer.Ordinal);
        }
        catch (IOException)
        {
            return new Dictionary<string, string>(StringComparer.Ordinal);
        }
    }

    /// <summary>True while the process exists and is not a zombie.</summary>
    public static bool IsRunning(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var state = stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[0];
            return state is not ("Z" or "X");
        }
        catch (IOException)
        {
            return false;
        }
    }
}
