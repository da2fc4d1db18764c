using System.Diagnostics;
using Planetary.LocalServers;

namespace Planetary.Testing.Processes;

/// <summary>
/// A server started as a child process from a <see cref="ServerLaunch"/>: its output is kept (bounded) for
/// diagnostics and optionally forwarded, and it is stopped by its own PID only.
/// </summary>
internal sealed class ServerProcess : IAsyncDisposable
{
    private const int OutputTailLines = 200;
    private readonly Process _process;
    private readonly OutputTail _output = new(OutputTailLines);
    private readonly Action<string>? _outputSink;

    private ServerProcess(string name, Process process, Action<string>? outputSink)
    {
        Name = name;
        _process = process;
        _outputSink = outputSink;
    }

    /// <summary>A short label for messages, e.g. "rabbitmq:41234".</summary>
    public string Name { get; }

    /// <summary>The PID of the started program (the server itself, never a wrapper).</summary>
    public int ProcessId => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>The last lines of stdout and stderr.</summary>
    public string RecentOutput => _output.ToString();

    public static ServerProcess Start(string name, ServerLaunch launch, Action<string>? outputSink)
    {
        var startInfo = new ProcessStartInfo(launch.FileName)
        {
            WorkingDirectory = launch.WorkingDirectory,
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in launch.Arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in launch.Environment)
        {
            startInfo.Environment[key] = value;
        }

        var process = new Process { StartInfo = startInfo, EnableRaisingEvents = true };
        var server = new ServerProcess(name, process, outputSink);
        process.OutputDataReceived += (_, line) => server.Record(line.Data);
        process.ErrorDataReceived += (_, line) => server.Record(line.Data);
        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return server;
    }

    /// <summary>
    /// Stops the process: SIGTERM and up to <paramref name="gracePeriod"/> to exit, then SIGKILL; or SIGKILL at
    /// once for <see cref="ServerStopMode.Kill"/>. Returns when the process has exited.
    /// </summary>
    public async Task StopAsync(ServerStopMode mode, TimeSpan gracePeriod)
    {
        if (_process.HasExited)
        {
            return;
        }

        if (mode == ServerStopMode.Graceful && PosixSignals.Terminate(_process.Id))
        {
            using var grace = new CancellationTokenSource(gracePeriod);
            try
            {
                await _process.WaitForExitAsync(grace.Token).ConfigureAwait(false);
                return;
            }
            catch (OperationCanceledException)
            {
                // Did not stop in time: fall through to SIGKILL.
            }
        }

        KillTree();
        await _process.WaitForExitAsync().ConfigureAwait(false);
    }

    /// <summary>Throws, with the output tail, if the process has exited (e.g. while waiting for readiness).</summary>
    public void ThrowIfExited()
    {
        if (_process.HasExited)
        {
            throw new InvalidOperationException(
                $"{Name} (pid {_process.Id}) exited with code {_process.ExitCode} before it was ready. " +
                $"Last output:{Environment.NewLine}{RecentOutput}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(ServerStopMode.Graceful, TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        _process.Dispose();
    }

    private void KillTree()
    {
        try
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Exited in the meantime.
        }
    }

    private void Record(string? line)
    {
        if (line is null)
        {
            return;
        }

        _output.Add(line);
        _outputSink?.Invoke($"[{Name}] {line}");
    }
}
