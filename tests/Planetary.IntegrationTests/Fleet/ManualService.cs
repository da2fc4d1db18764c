using System.Diagnostics;
using System.Text;
using Aspire.Hosting;
using Aspire.Hosting.Testing;

namespace Planetary.IntegrationTests.Fleet;

/// <summary>
/// A fabric service started by hand next to the fleet, as an operator would (the same built program the app host runs,
/// pointed at the same servers), with its output kept. Disposing kills it if it still runs.
/// </summary>
public sealed class ManualService : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private ManualService(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public int ProcessId => _process.Id;

    public bool HasExited => _process.HasExited;

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Starts <c>services/{project}</c>'s built program with the fleet's connection strings and the given settings.</summary>
    public static async Task<ManualService> StartAsync(LiveFleet fleet, string project, params (string Name, string Value)[] settings)
    {
        var configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name; // bin/{Release|Debug}/net10.0
        var dll = Path.Combine(LiveFleet.RepositoryRoot, "services", project, "bin", configuration, "net10.0", $"Planetary.{project}.dll");
        var start = new ProcessStartInfo("dotnet", $"\"{dll}\"")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = LiveFleet.RepositoryRoot,
        };
        start.Environment["ConnectionStrings__eventbus"] = await fleet.App.GetConnectionStringAsync("eventbus");
        start.Environment["ConnectionStrings__state"] = await fleet.App.GetConnectionStringAsync("state");
        start.Environment["Fabric__ManifestPath"] = Path.Combine(LiveFleet.RepositoryRoot, "config", "fabric.json");
        start.Environment["ASPNETCORE_URLS"] = "http://127.0.0.1:0";
        foreach (var (name, value) in settings)
        {
            start.Environment[name] = value;
        }

        return new ManualService(Process.Start(start) ?? throw new InvalidOperationException($"{dll} did not start"));
    }

    public async Task<bool> WaitForExitAsync(TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(deadline.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }

        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }
}
