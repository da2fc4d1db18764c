using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Planetary.Cli.Chaos;
using Xunit.Abstractions;

namespace Planetary.ChaosTests;

/// <summary>
/// <c>planetary chaos</c> against a fleet started as the README starts it (the app host's built program, local RabbitMQ
/// and Redis), for a minute and then until every fault kind has struck once (about two minutes in all, most of it the
/// fleet restart and RabbitMQ coming back) — kill -9 and SIGSTOP of services, kill -9 of
/// RabbitMQ and of Redis, a second router, a full-fleet restart — and the checker finds no job lost and none run twice.
/// </summary>
public sealed class LiveChaosTests(ITestOutputHelper output)
{
    private const string Token = "chaos-test-owner-token";
    private const int OwnerPort = 5190;
    private static readonly TimeSpan FleetStart = TimeSpan.FromMinutes(4);
    private static readonly TimeSpan ChaosRun = TimeSpan.FromMinutes(15);

    [Fact]
    public async Task Every_fault_kind_striking_a_working_fleet_loses_no_job_and_runs_none_twice()
    {
        var scratch = Directory.CreateTempSubdirectory("planetary-chaos-");
        var started = StartFleet(scratch.FullName);
        try
        {
            await WaitUntilServingAsync(started);
            var (exitCode, text) = await RunChaosAsync(Path.Combine(scratch.FullName, "chaos"));
            output.WriteLine(text);
            Assert.True(exitCode == 0, $"planetary chaos exited with {exitCode}");
            Assert.Contains("every guarantee held", text);
            Assert.Contains("lost 0 (must be 0), completed twice 0 (must be 0)", text);
            foreach (var kind in new[] { "kill-service", "pause-service", "kill-broker", "kill-state-store", "second-router", "restart-fleet" })
            {
                Assert.Contains($"  {kind}", text);
            }
        }
        finally
        {
            await StopFleetAsync(started);
            foreach (var log in Directory.EnumerateFiles(scratch.FullName, "*.log", SearchOption.AllDirectories))
            {
                output.WriteLine($"--- {log} (last lines)");
                foreach (var line in File.ReadLines(log).TakeLast(15))
                {
                    output.WriteLine(line);
                }
            }

            try
            {
                scratch.Delete(recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    private static string RepositoryRoot
    {
        get
        {
            for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
            {
                if (File.Exists(Path.Combine(directory.FullName, "Planetary.Aspire.sln")))
                {
                    return directory.FullName;
                }
            }

            throw new InvalidOperationException("Planetary.Aspire.sln not found above the test's directory");
        }
    }

    private static string Configuration => new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;

    /// <summary>The app host's built program, with the environment scripts/run-fabric.sh gives it, on ports of its own.</summary>
    private static Process StartFleet(string scratch)
    {
        var start = new ProcessStartInfo("bash") { WorkingDirectory = RepositoryRoot, UseShellExecute = false }; // not sh: dash drops Parameters__owner-token
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add("exec \"$0\" \"$@\" >>\"$PLANETARY_CHAOS_LOG\" 2>&1 </dev/null");
        start.ArgumentList.Add(Path.Combine(RepositoryRoot, "AppHost", "bin", Configuration, "net10.0", FleetMap.AppHostProgram));
        foreach (var setting in new[]
                 {
                     "--Infrastructure:Mode=local", $"--Infrastructure:Local:StateDirectory={Path.Combine(scratch, "servers")}",
                     "--Infrastructure:Local:RabbitMqPort=5773", "--Infrastructure:Local:RabbitMqDistributionPort=25773",
                     "--Infrastructure:Local:EpmdPort=4470", "--Infrastructure:Local:RedisPort=6480",
                     $"--OwnerControl:Port={OwnerPort}", $"--OwnerControl:TokenFile={Path.Combine(scratch, "owner-token")}",
                 })
        {
            start.ArgumentList.Add(setting);
        }

        start.Environment["PLANETARY_CHAOS_LOG"] = Path.Combine(scratch, "app-host-0.log");
        start.Environment["Parameters__owner-token"] = Token;
        start.Environment["ASPNETCORE_URLS"] = "http://localhost:18988";
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        start.Environment["DOTNET_ENVIRONMENT"] = "Development";
        start.Environment["ASPIRE_DASHBOARD_OTLP_HTTP_ENDPOINT_URL"] = "http://localhost:18989";
        start.Environment["ASPIRE_RESOURCE_SERVICE_ENDPOINT_URL"] = "http://localhost:18987";
        start.Environment["ASPIRE_ALLOW_UNSECURED_TRANSPORT"] = "true";
        start.Environment["ASPIRE_DASHBOARD_UNSECURED_ALLOW_ANONYMOUS"] = "true";
        return Process.Start(start) ?? throw new InvalidOperationException("the app host did not start");
    }

    /// <summary>Until status says every router, agent and the checkpointer reported in.</summary>
    private static async Task WaitUntilServingAsync(Process appHost)
    {
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{OwnerPort}"), Timeout = TimeSpan.FromSeconds(5) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < FleetStart)
        {
            Assert.False(appHost.HasExited, $"the app host exited with {(appHost.HasExited ? appHost.ExitCode : 0)}");
            try
            {
                var status = JsonDocument.Parse(await http.GetStringAsync("/api/status")).RootElement;
                if (status.GetProperty("parameters").GetProperty("converged").GetBoolean())
                {
                    return;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException)
            {
            }

            await Task.Delay(500);
        }

        Assert.Fail($"the fleet did not report in within {FleetStart.TotalMinutes} min");
    }

    private static async Task<(int ExitCode, string Output)> RunChaosAsync(string directory)
    {
        var start = new ProcessStartInfo(Path.Combine(RepositoryRoot, "tools", "Planetary.Cli", "bin", Configuration, "net10.0", "planetary"))
        {
            WorkingDirectory = RepositoryRoot,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in new[] { "chaos", "--minutes", "1", "--quiet-seconds", "0.5-2", "--pause-seconds", "1-3", "--seed", "ci-chaos", "--drain-minutes", "4", "--out", directory, "--url", $"http://127.0.0.1:{OwnerPort}", "--token", Token })
        {
            start.ArgumentList.Add(argument);
        }

        var text = new StringBuilder();
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var deadline = new CancellationTokenSource(ChaosRun);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Append($"planetary chaos still ran after {ChaosRun.TotalMinutes} min: killed");
            return (-1, text.ToString());
        }

        process.WaitForExit();
        return (process.ExitCode, text.ToString());

        void Append(string? line)
        {
            if (line is not null)
            {
                lock (text)
                {
                    text.AppendLine(line);
                }
            }
        }
    }

    /// <summary>Stops whichever app host serves now (the nemesis restarted it detached) as Ctrl+C would, then anything left of it.</summary>
    private static async Task StopFleetAsync(Process first)
    {
        var appHosts = new HashSet<int> { first.Id };
        try
        {
            if (FleetMap.Discover(new Uri($"http://127.0.0.1:{OwnerPort}")).AppHost is { } current)
            {
                appHosts.Add(current);
            }
        }
        catch (Planetary.Fabric.Runtime.Chaos.ChaosFleetUnavailableException)
        {
        }

        var members = appHosts.SelectMany(FleetMap.Members).Concat(appHosts).Distinct().ToArray();
        foreach (var appHost in appHosts)
        {
            LinuxProcesses.Signal(appHost, PosixSignal.Terminate);
        }

        var stopping = Stopwatch.StartNew();
        while (members.Any(LinuxProcesses.IsRunning) && stopping.Elapsed < TimeSpan.FromSeconds(60))
        {
            await Task.Delay(250);
        }

        foreach (var pid in members.Where(LinuxProcesses.IsRunning))
        {
            LinuxProcesses.Signal(pid, PosixSignal.Kill);
        }

        first.Dispose();
    }
}
