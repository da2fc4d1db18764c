using System.Diagnostics;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Planetary.Fabric.Chaos;
using Planetary.Fabric.Reporting;
using Planetary.Fabric.Runtime.Chaos;

namespace Planetary.Cli.Chaos;

/// <summary>
/// The running fleet for <c>planetary chaos</c>: jobs through owner control's API, faults through the machine's
/// processes (signals, a hand-started router, the app host's own shutdown and the same command again). Processes it
/// starts write their output under <paramref name="logDirectory"/>.
/// </summary>
public sealed class LiveChaosFleet(OwnerClient owner, string logDirectory, Action<string> log) : IChaosFleet, IAsyncDisposable
{
    private static readonly TimeSpan FleetStopDeadline = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan SecondRouterDeadline = TimeSpan.FromSeconds(120);

    private readonly Uri _ownerControl = new(owner.BaseUrl);
    private readonly List<(Process Process, Task Watch)> _secondRouters = [];
    private int _fleetStarts;

    /// <summary>The app host this fleet runs under now (after a restart, the one the nemesis started).</summary>
    public int? AppHost { get; private set; }

    public async ValueTask<IReadOnlyList<ChaosSubmission>> SubmitAsync(string shard, IReadOnlyList<ChaosJob> jobs, CancellationToken cancellationToken)
    {
        var (status, body) = await CallAsync(HttpMethod.Post, "/api/jobs", new JsonObject { ["shard"] = shard, ["jobs"] = new JsonArray([.. jobs.Select(j => new JsonObject { ["id"] = j.JobId, ["template"] = j.Template })]) }, cancellationToken);
        if (status == HttpStatusCode.Accepted)
        {
            var pending = body.TryGetProperty("pending", out var p) && p.GetBoolean();
            var known = Ids(body, "known");
            return jobs.Select(j => new ChaosSubmission(j.JobId, shard,
                known.Contains(j.JobId) ? ChaosAdmission.Known : pending ? ChaosAdmission.Pending : ChaosAdmission.Taken)).ToArray();
        }

        if (status is HttpStatusCode.TooManyRequests or HttpStatusCode.Conflict or HttpStatusCode.UnprocessableEntity && body.ValueKind == JsonValueKind.Object && body.TryGetProperty("refused", out _))
        {
            var known = Ids(body, "known");
            var refused = body.GetProperty("refused").EnumerateArray().Select(r => r.GetProperty("jobId").GetString()!).ToHashSet(StringComparer.Ordinal);
            return jobs.Select(j => new ChaosSubmission(j.JobId, shard,
                refused.Contains(j.JobId) ? ChaosAdmission.Refused : known.Contains(j.JobId) ? ChaosAdmission.Known : ChaosAdmission.Taken)).ToArray();
        }

        throw Unexpected("POST /api/jobs", status, body);
    }

    public async ValueTask<ChaosCancelAnswer> CancelAsync(string jobId, CancellationToken cancellationToken)
    {
        var (status, body) = await CallAsync(HttpMethod.Post, $"/api/jobs/{Uri.EscapeDataString(jobId)}/cancel", [], cancellationToken);
        return status switch
        {
            HttpStatusCode.Accepted => new ChaosCancelAnswer(true),
            HttpStatusCode.NotFound or HttpStatusCode.Conflict => new ChaosCancelAnswer(false),
            _ => throw Unexpected($"POST /api/jobs/{jobId}/cancel", status, body),
        };
    }

    public async ValueTask<ChaosJobState> LookUpAsync(string jobId, CancellationToken cancellationToken)
    {
        var (status, body) = await CallAsync(HttpMethod.Get, $"/api/jobs/{Uri.EscapeDataString(jobId)}", null, cancellationToken);
        if (status == HttpStatusCode.NotFound)
        {
            return new ChaosJobState(jobId, null, []);
        }

        if (status != HttpStatusCode.OK)
        {
            throw Unexpected($"GET /api/jobs/{jobId}", status, body);
        }

        var view = body.Deserialize(CliJson.Default.JobView)!;
        return new ChaosJobState(jobId, view.Status, view.Timeline.Select(e => new ChaosJobEvent(e.Event, e.Shard, e.Node, e.Attempt)).ToArray());
    }

    public async ValueTask<ChaosInjection> InjectAsync(ChaosFault fault, CancellationToken cancellationToken)
    {
        var fleet = FleetMap.Discover(_ownerControl);
        AppHost = fleet.AppHost;
        return fault.Kind switch
        {
            ChaosFaultKind.KillService => Kill(Pick(fleet.Services, fault), "the app host starts it again"),
            ChaosFaultKind.PauseService => await PauseAsync(Pick(fleet.Services, fault), fault.PauseMs, cancellationToken),
            ChaosFaultKind.KillBroker => fleet.Broker is { } broker ? Kill(broker, "the app host starts RabbitMQ again with its data") : await ContainerServers.KillAsync("eventbus", cancellationToken),
            ChaosFaultKind.KillStateStore => fleet.StateStore is { } state ? Kill(state, "the app host starts Redis again with its data") : await ContainerServers.KillAsync("state", cancellationToken),
            ChaosFaultKind.SecondRouter => StartSecondRouter(Pick(fleet.Services.Where(s => s.Role.StartsWith("router-", StringComparison.Ordinal)).ToArray(), fault)),
            ChaosFaultKind.RestartFleet => await RestartAsync(fleet, cancellationToken),
            _ => new ChaosInjection(false, "-", $"unknown fault kind {fault.Kind}"),
        };
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var (process, watch) in _secondRouters)
        {
            if (!process.HasExited)
            {
                log($"the hand-started router (pid {process.Id}) still runs at the end: killed");
                process.Kill();
            }

            await watch;
            process.Dispose();
        }
    }

    private static FleetProcess? Pick(IReadOnlyList<FleetProcess> processes, ChaosFault fault) =>
        processes.Count == 0 ? null : processes[fault.Pick % processes.Count];

    private static ChaosInjection Kill(FleetProcess? target, string then)
    {
        if (target is null)
        {
            return new ChaosInjection(false, "-", "no such process runs now");
        }

        return LinuxProcesses.Signal(target.Pid, PosixSignal.Kill)
            ? new ChaosInjection(true, target.Role, $"kill -9 of process {target.Pid}; {then}")
            : new ChaosInjection(false, target.Role, $"process {target.Pid} was already gone");
    }

    private static async Task<ChaosInjection> PauseAsync(FleetProcess? target, int pauseMs, CancellationToken cancellationToken)
    {
        if (target is null || !LinuxProcesses.Signal(target.Pid, PosixSignal.Stop))
        {
            return new ChaosInjection(false, target?.Role ?? "-", "no such process runs now");
        }

        try
        {
            await Task.Delay(pauseMs, cancellationToken);
        }
        finally
        {
            LinuxProcesses.Signal(target.Pid, PosixSignal.Continue);
        }

        return new ChaosInjection(true, target.Role, $"SIGSTOP of process {target.Pid} for {pauseMs / 1000.0:F1} s, then SIGCONT");
    }

    /// <summary>A copy of a served shard's router, started by hand with the same program, settings and servers (its own HTTP port).</summary>
    private ChaosInjection StartSecondRouter(FleetProcess? router)
    {
        if (router is null)
        {
            return new ChaosInjection(false, "-", "no router runs now");
        }

        var start = CopyOf(router.Pid, $"second-{router.Role}-{_secondRouters.Count + 1}.log", out var logFile);
        start.Environment["ASPNETCORE_URLS"] = "http://127.0.0.1:0";
        start.Environment.Remove("HTTP_PORTS");
        start.Environment.Remove("HTTPS_PORTS");
        start.Environment["OTEL_SERVICE_INSTANCE_ID"] = $"chaos-second-{Guid.NewGuid():N}";
        var process = Process.Start(Redirected(start, logFile, detach: false)) ?? throw new InvalidOperationException($"the second {router.Role} did not start");
        var started = Stopwatch.StartNew();
        var watch = Task.Run(async () =>
        {
            using var deadline = new CancellationTokenSource(SecondRouterDeadline);
            try
            {
                await process.WaitForExitAsync(deadline.Token);
                log($"the hand-started {router.Role} (pid {process.Id}) stopped after {started.Elapsed.TotalSeconds:F1} s (exit code {process.ExitCode}): one writer per shard");
            }
            catch (OperationCanceledException)
            {
                log($"the hand-started {router.Role} (pid {process.Id}) still runs after {SecondRouterDeadline.TotalSeconds:F0} s: killed (see {logFile})");
                process.Kill();
            }
        });
        _secondRouters.Add((process, watch));
        return new ChaosInjection(true, router.Role, $"a second router started by hand (pid {process.Id}, output in {logFile}) next to process {router.Pid}");
    }

    /// <summary>Stops the app host as Ctrl+C would, waits for its fleet to end, and starts it again with the same command (detached).</summary>
    private async Task<ChaosInjection> RestartAsync(FleetMap fleet, CancellationToken cancellationToken)
    {
        if (fleet.AppHost is not { } appHost)
        {
            return new ChaosInjection(false, "-", $"owner control (pid {fleet.OwnerControl}) does not run under a {FleetMap.AppHostProgram} process, so there is no fleet command to restart");
        }

        var start = CopyOf(appHost, $"app-host-{++_fleetStarts}.log", out var logFile);
        // Never wipe on a restart: a fleet first started with --wipe keeps its data this time.
        start.Environment.Remove("Infrastructure__Wipe");
        var arguments = start.ArgumentList.Where(a => !a.StartsWith("--Infrastructure:Wipe", StringComparison.OrdinalIgnoreCase)).ToArray();
        var members = FleetMap.Members(appHost).Append(appHost).ToArray();
        var stopping = Stopwatch.StartNew();
        LinuxProcesses.Signal(appHost, PosixSignal.Terminate);
        while (members.Any(LinuxProcesses.IsRunning) && stopping.Elapsed < FleetStopDeadline)
        {
            await Task.Delay(200, cancellationToken);
        }

        var killed = members.Where(LinuxProcesses.IsRunning).ToArray();
        foreach (var pid in killed)
        {
            LinuxProcesses.Signal(pid, PosixSignal.Kill);
        }

        var stopped = stopping.Elapsed;

        start.ArgumentList.Clear();
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var detached = Redirected(start, logFile, detach: true);
        using var process = Process.Start(detached) ?? throw new InvalidOperationException("the app host did not start again");
        AppHost = process.Id;
        var left = killed.Length == 0 ? "every process ended" : $"{killed.Length} process(es) still ran and were killed";
        return new ChaosInjection(true, "fleet",
            $"app host {appHost} stopped (SIGTERM, as Ctrl+C) in {stopped.TotalSeconds:F1} s ({left}); started again as pid {process.Id} with the same command (output in {logFile})");
    }

    /// <summary>The start of a copy of a running process: its program, arguments, environment and working directory.</summary>
    private ProcessStartInfo CopyOf(int pid, string logName, out string logFile)
    {
        var arguments = LinuxProcesses.Arguments(pid);
        if (arguments.Count == 0)
        {
            throw new ChaosFleetUnavailableException($"process {pid} ended before it could be copied");
        }

        Directory.CreateDirectory(logDirectory);
        logFile = Path.Combine(logDirectory, logName);
        var start = new ProcessStartInfo(arguments[0])
        {
            WorkingDirectory = LinuxProcesses.WorkingDirectory(pid) ?? Environment.CurrentDirectory,
            UseShellExecute = false,
        };
        foreach (var argument in arguments.Skip(1))
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment.Clear();
        foreach (var (name, value) in LinuxProcesses.Environment(pid))
        {
            start.Environment[name] = value;
        }

        return start;
    }

    /// <summary>
    /// The same start through a shell that sends its output to a file, so nothing waits on a pipe; detached (setsid), the
    /// process outlives this command.
    /// </summary>
    private static ProcessStartInfo Redirected(ProcessStartInfo start, string logFile, bool detach)
    {
        var shell = new ProcessStartInfo(detach ? "setsid" : "bash") { WorkingDirectory = start.WorkingDirectory, UseShellExecute = false };
        foreach (var (name, value) in start.Environment)
        {
            shell.Environment[name] = value;
        }

        if (detach)
        {
            shell.ArgumentList.Add("bash"); // not sh: dash drops variables whose names are not shell names (Parameters__owner-token)
        }

        shell.ArgumentList.Add("-c");
        shell.ArgumentList.Add("exec \"$0\" \"$@\" >>\"$PLANETARY_CHAOS_LOG\" 2>&1 </dev/null");
        shell.ArgumentList.Add(start.FileName);
        foreach (var argument in start.ArgumentList)
        {
            shell.ArgumentList.Add(argument);
        }

        shell.Environment["PLANETARY_CHAOS_LOG"] = logFile;
        return shell;
    }

    private async Task<(HttpStatusCode Status, JsonElement Body)> CallAsync(HttpMethod method, string path, JsonObject? body, CancellationToken cancellationToken)
    {
        (HttpStatusCode Status, JsonElement Body) answer;
        try
        {
            answer = await owner.ExchangeAsync(method, path, body, cancellationToken);
        }
        catch (OwnerCallException e)
        {
            throw new ChaosFleetUnavailableException(e.Message, e);
        }

        if ((int)answer.Status >= 500)
        {
            throw new ChaosFleetUnavailableException($"{method} {path}: {(int)answer.Status} {Detail(answer.Body)}");
        }

        return answer;
    }

    private static HashSet<string> Ids(JsonElement body, string property) =>
        body.TryGetProperty(property, out var ids) && ids.ValueKind == JsonValueKind.Array
            ? ids.EnumerateArray().Select(i => i.GetString()!).ToHashSet(StringComparer.Ordinal)
            : [];

    private static InvalidOperationException Unexpected(string call, HttpStatusCode status, JsonElement body) =>
        new($"{call} answered {(int)status} {Detail(body)}");

    private static string Detail(JsonElement body) =>
        body.ValueKind == JsonValueKind.Object && body.TryGetProperty("detail", out var d) ? d.GetString() ?? string.Empty : string.Empty;
}

/// <summary>What the chaos checker reads of <c>GET /api/jobs/{id}</c>.</summary>
internal sealed record JobView(string Id, JobStatus Status, List<JobViewEvent> Timeline);

/// <summary>One event of <see cref="JobView"/>'s timeline.</summary>
internal sealed record JobViewEvent(JobEventKind Event, string Shard, string? Node, int Attempt);
