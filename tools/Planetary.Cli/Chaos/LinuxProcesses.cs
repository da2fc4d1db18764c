using System.Globalization;
using System.Runtime.InteropServices;

namespace Planetary.Cli.Chaos;

/// <summary>Signals a Linux process can be sent by the nemesis.</summary>
public enum PosixSignal
{
    Kill = 9,
    Terminate = 15,
    Continue = 18,
    Stop = 19,
}

/// <summary>The machine's processes as Linux shows them in <c>/proc</c>: listeners, parents, command lines, environments, signals.</summary>
public static class LinuxProcesses
{
    /// <summary>Every process id.</summary>
    public static IEnumerable<int> All() =>
        Directory.EnumerateDirectories("/proc").Select(Path.GetFileName).Where(n => n is not null && n.All(char.IsAsciiDigit)).Select(n => int.Parse(n!, CultureInfo.InvariantCulture));

    /// <summary>The process listening on a TCP port of this machine, or null.</summary>
    public static int? ListenerOf(int port)
    {
        var inodes = new HashSet<string>(StringComparer.Ordinal);
        foreach (var table in new[] { "/proc/net/tcp", "/proc/net/tcp6" })
        {
            foreach (var line in ReadLines(table).Skip(1))
            {
                var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                // sl local_address rem_address st ... inode: a listener has state 0A.
                if (fields.Length > 9 && fields[3] == "0A" && int.Parse(fields[1][(fields[1].LastIndexOf(':') + 1)..], NumberStyles.HexNumber, CultureInfo.InvariantCulture) == port)
                {
                    inodes.Add($"socket:[{fields[9]}]");
                }
            }
        }

        if (inodes.Count == 0)
        {
            return null;
        }

        foreach (var pid in All())
        {
            try
            {
                foreach (var fd in Directory.EnumerateFileSystemEntries($"/proc/{pid}/fd"))
                {
                    if (new FileInfo(fd).LinkTarget is { } target && inodes.Contains(target))
                    {
                        return pid;
                    }
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
            }
        }

        return null;
    }

    /// <summary>The parent of a process (0 when it is gone).</summary>
    public static int ParentOf(int pid)
    {
        var stat = Read($"/proc/{pid}/stat");
        if (stat.Length == 0)
        {
            return 0;
        }

        // pid (comm) state ppid …: comm may hold spaces and parentheses, so read after the last ')'.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return int.Parse(fields[1], CultureInfo.InvariantCulture);
    }

    /// <summary>Every process below <paramref name="root"/> in the process tree.</summary>
    public static IReadOnlyList<int> DescendantsOf(int root)
    {
        var children = All().Select(pid => (Pid: pid, Parent: ParentOf(pid))).ToLookup(p => p.Parent, p => p.Pid);
        var found = new List<int>();
        var next = new Queue<int>([root]);
        while (next.TryDequeue(out var pid))
        {
            foreach (var child in children[pid])
            {
                found.Add(child);
                next.Enqueue(child);
            }
        }

        return found;
    }

    /// <summary>The program and its arguments ([] when the process is gone).</summary>
    public static IReadOnlyList<string> Arguments(int pid) => Read($"/proc/{pid}/cmdline").Split('\0', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>The kernel's short name of the process (<c>redis-server</c>, <c>beam.smp</c>).</summary>
    public static string Name(int pid) => Read($"/proc/{pid}/comm").Trim();

    public static IReadOnlyDictionary<string, string> Environment(int pid)
    {
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in Read($"/proc/{pid}/environ").Split('\0', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=');
            if (equals > 0)
            {
                variables[pair[..equals]] = pair[(equals + 1)..];
            }
        }

        return variables;
    }

    public static string? WorkingDirectory(int pid)
    {
        try
        {
            return new DirectoryInfo($"/proc/{pid}/cwd").LinkTarget;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>True while the process exists and is not a zombie.</summary>
    public static bool IsRunning(int pid)
    {
        var stat = Read($"/proc/{pid}/stat");
        return stat.Length > 0 && stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[0] is not ("Z" or "X");
    }

    /// <summary>Sends a signal; false when the process is gone.</summary>
    public static bool Signal(int pid, PosixSignal signal) => SendSignal(pid, (int)signal) == 0;

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int SendSignal(int pid, int signal);

    private static string Read(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return string.Empty;
        }
    }

    private static IEnumerable<string> ReadLines(string path)
    {
        var text = Read(path);
        return text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }
}
