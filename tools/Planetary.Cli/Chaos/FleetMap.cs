using Planetary.Fabric.Runtime.Chaos;

namespace Planetary.Cli.Chaos;

/// <summary>A process of the fleet: its id and what it is (a fabric service's resource name, or a server's role).</summary>
public sealed record FleetProcess(int Pid, string Role);

/// <summary>
/// The fleet's processes on this machine, found from owner control's port: the process listening there, the app host
/// it runs under (<c>Planetary.AppHost</c>), the fabric services of that app host (by the resource name Aspire gives each,
/// <c>OTEL_SERVICE_NAME</c>), and RabbitMQ (<c>beam.smp</c>) and Redis (<c>redis-server</c>) when they run as local
/// processes. Containers are found through Podman instead (<see cref="ContainerServers"/>).
/// </summary>
public sealed record FleetMap(int OwnerControl, int? AppHost, IReadOnlyList<FleetProcess> Services, FleetProcess? Broker, FleetProcess? StateStore)
{
    public const string AppHostProgram = "Planetary.AppHost";

    public static FleetMap Discover(Uri ownerControl)
    {
        var owner = LinuxProcesses.ListenerOf(ownerControl.Port)
            ?? throw new ChaosFleetUnavailableException($"no process listens on {ownerControl} (owner control is down or restarting)");
        var appHost = AppHostAbove(owner);
        var services = new List<FleetProcess>();
        FleetProcess? broker = null, state = null;
        foreach (var pid in appHost is { } root ? Members(root) : [owner])
        {
            switch (LinuxProcesses.Name(pid))
            {
                case "beam.smp":
                    broker ??= new FleetProcess(pid, "eventbus");
                    continue;
                case "redis-server":
                    state ??= new FleetProcess(pid, "state");
                    continue;
            }

            if (LinuxProcesses.Arguments(pid).Any(a => a.Contains("Planetary.", StringComparison.Ordinal)) &&
                LinuxProcesses.Environment(pid).TryGetValue("OTEL_SERVICE_NAME", out var name))
            {
                services.Add(new FleetProcess(pid, name));
            }
        }

        return new FleetMap(owner, appHost, services.OrderBy(s => s.Role, StringComparer.Ordinal).ToArray(), broker, state);
    }

    /// <summary>
    /// Every process of the fleet under an app host: its own children, and those of the orchestrator (DCP) it started,
    /// which detaches from it (<c>dcp start-apiserver --monitor APPHOST</c>) and starts the services and servers.
    /// </summary>
    public static IReadOnlyList<int> Members(int appHost)
    {
        var roots = LinuxProcesses.All().Where(pid => MonitoredBy(pid) == appHost).Append(appHost).ToArray();
        return roots.SelectMany(LinuxProcesses.DescendantsOf).Concat(roots).Where(pid => pid != appHost).Distinct().ToArray();
    }

    /// <summary>The app host a process runs under: an ancestor that is one, or the one the orchestrator above it watches.</summary>
    private static int? AppHostAbove(int pid)
    {
        for (var ancestor = LinuxProcesses.ParentOf(pid); ancestor > 1; ancestor = LinuxProcesses.ParentOf(ancestor))
        {
            if (LinuxProcesses.Arguments(ancestor).FirstOrDefault() is { } program && program.EndsWith(AppHostProgram, StringComparison.Ordinal))
            {
                return ancestor;
            }

            if (MonitoredBy(ancestor) is { } watched && LinuxProcesses.Arguments(watched).FirstOrDefault() is { } host && host.EndsWith(AppHostProgram, StringComparison.Ordinal))
            {
                return watched;
            }
        }

        return null;
    }

    /// <summary>The process a DCP API server watches (<c>dcp start-apiserver --monitor PID</c>), or null for any other process.</summary>
    private static int? MonitoredBy(int pid)
    {
        var arguments = LinuxProcesses.Arguments(pid);
        if (arguments.Count < 4 || !arguments[0].EndsWith("/dcp", StringComparison.Ordinal) || arguments[1] != "start-apiserver")
        {
            return null;
        }

        var monitor = arguments.ToList().IndexOf("--monitor");
        return monitor > 0 && monitor + 1 < arguments.Count && int.TryParse(arguments[monitor + 1], out var watched) ? watched : null;
    }

    /// <summary>The router process of a shard, by its resource name (<c>router-earth</c>).</summary>
    public FleetProcess? Router(string shard) => Services.FirstOrDefault(s => s.Role == $"router-{shard}");
}
