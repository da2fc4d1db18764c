using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;

namespace Planetary.Bench.Peers;

/// <summary>
/// A process the bench starts for a peer (its worker, or its load script), in the peer's script folder with the
/// run's environment. Its last lines of output are kept for an error message. Disposing stops it, whatever happened:
/// SIGTERM (Sidekiq and Celery then shut down cleanly, Sidekiq removing its process entry from Redis), and if it is
/// still running after <see cref="GracefulStop"/>, SIGKILL to its whole process tree. If the bench itself is stopped
/// (SIGTERM, Ctrl-C) before that, the trees of those still running are killed first.
/// </summary>
public sealed class PeerProcess : IDisposable
{
    private const int Sigterm = 15;
    private const int KeptLines = 20;

    private static readonly TimeSpan GracefulStop = TimeSpan.FromSeconds(15);
    private static readonly ConcurrentDictionary<PeerProcess, bool> Running = new();

    /// <summary>Held for the bench's lifetime: on SIGTERM or SIGINT, the running trees are killed before the bench ends.</summary>
    private static readonly PosixSignalRegistration[] StopSignals =
        [PosixSignalRegistration.Create(PosixSignal.SIGTERM, KillRunning), PosixSignalRegistration.Create(PosixSignal.SIGINT, KillRunning)];

    private readonly Process process;
    private readonly ConcurrentQueue<string> lastLines = new();

    /// <summary>What a load script reported: the peer's version, seconds until every job was enqueued, and until every one was done.</summary>
    public sealed record LoadReport(string Version, double Pushed, double Seconds);

    private PeerProcess(Process process, string name)
    {
        this.process = process;
        Name = name;
    }

    public string Name { get; }

    public static PeerProcess Start(string fileName, IEnumerable<string> arguments, string workingDirectory, IReadOnlyDictionary<string, string> environment)
    {
        var start = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        var process = new Process { StartInfo = start };
        var started = new PeerProcess(process, $"{Path.GetFileName(fileName)} {string.Join(' ', start.ArgumentList)}");
        process.OutputDataReceived += (_, line) => started.Keep(line.Data);
        process.ErrorDataReceived += (_, line) => started.Keep(line.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        Running[started] = true;
        return started;
    }

    /// <summary>
    /// Waits for a load script to exit and reads what it printed: <c>version V</c> (the peer's), <c>pushed S</c> (seconds
    /// from the first enqueue until the last) and <c>seconds S</c> (until every job was done). Fails if
    /// <paramref name="worker"/> exits first, or after <paramref name="limit"/>.
    /// </summary>
    public async Task<LoadReport> WaitForLoadAsync(PeerProcess worker, TimeSpan limit)
    {
        using var timeout = new CancellationTokenSource(limit);
        var finished = await Task.WhenAny(process.WaitForExitAsync(timeout.Token), worker.process.WaitForExitAsync(timeout.Token));
        if (timeout.IsCancellationRequested)
        {
            throw new PeerRunException($"{Name} did not finish within {limit.TotalMinutes:F0} minutes; its last output: {Output}");
        }

        if (!process.HasExited)
        {
            throw new PeerRunException($"the worker ({worker.Name}) exited with {worker.process.ExitCode}: {worker.Output}");
        }

        await finished;
        process.WaitForExit(); // the last lines of output
        if (process.ExitCode != 0)
        {
            throw new PeerRunException($"{Name} exited with {process.ExitCode}: {Output}");
        }

        return new LoadReport(Line("version"), double.Parse(Line("pushed"), CultureInfo.InvariantCulture), double.Parse(Line("seconds"), CultureInfo.InvariantCulture));
    }

    public void Dispose()
    {
        try
        {
            if (!process.HasExited && (SendSignal(process.Id, Sigterm) != 0 || !process.WaitForExit(GracefulStop)))
            {
                KillTree();
            }
        }
        catch (InvalidOperationException)
        {
            // exited meanwhile
        }

        Running.TryRemove(this, out _);
        process.Dispose();
    }

    // Before the signal's default handling ends the bench.
    private static void KillRunning(PosixSignalContext signal)
    {
        foreach (var running in Running.Keys)
        {
            running.KillTree();
        }
    }

    private void KillTree()
    {
        try
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(TimeSpan.FromSeconds(10));
        }
        catch (InvalidOperationException)
        {
            // exited meanwhile
        }
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int SendSignal(int processId, int signal);

    private string Output => string.Join(" | ", lastLines);

    private string Line(string name) =>
        lastLines.Select(l => l.Split(' ')).LastOrDefault(p => p.Length == 2 && p[0] == name)?[1]
        ?? throw new PeerRunException($"{Name} printed no '{name}' line: {Output}");

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        lastLines.Enqueue(line);
        while (lastLines.Count > KeptLines && lastLines.TryDequeue(out _))
        {
        }
    }
}
