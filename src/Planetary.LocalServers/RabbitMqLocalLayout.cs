using System.Globalization;

namespace Planetary.LocalServers;

/// <summary>
/// One RabbitMQ node run as a plain child process with private directories under <see cref="StateDirectory"/>:
/// HOME (Erlang cookie), mnesia (durable queues and messages), logs, and generated config files. The node's
/// own epmd must run first (<see cref="EpmdLaunch"/>, foreground, supervised): RabbitMQ then reuses it instead
/// of spawning an <c>epmd -daemon</c> that would outlive it. Nodes of a local cluster share one epmd and one Erlang
/// cookie (<see cref="RabbitMqClusterPeers"/>) and find each other through the classic peer-discovery config.
/// </summary>
public sealed class RabbitMqLocalLayout
{
    /// <summary>Creates the layout; nothing is written until <see cref="WriteFiles"/>.</summary>
    public RabbitMqLocalLayout(
        RabbitMqPorts ports, string stateDirectory, ServerExecutables? executables = null, RabbitMqClusterPeers? cluster = null)
    {
        Ports = ports;
        StateDirectory = Path.GetFullPath(stateDirectory);
        Executables = executables ?? ServerExecutables.Default;
        Cluster = cluster;
    }

    /// <summary>The cluster this node belongs to, or null for a single node.</summary>
    public RabbitMqClusterPeers? Cluster { get; }

    /// <summary>The node's ports.</summary>
    public RabbitMqPorts Ports { get; }

    /// <summary>Root of every file the node owns.</summary>
    public string StateDirectory { get; }

    /// <summary>The programs to run.</summary>
    public ServerExecutables Executables { get; }

    /// <summary>Unique per AMQP port, so several nodes can share one machine.</summary>
    public string NodeName => NodeNameFor(Ports.Amqp);

    /// <summary>The node name of the local node whose AMQP port is <paramref name="amqpPort"/>.</summary>
    public static string NodeNameFor(int amqpPort) => $"rmq{amqpPort}@localhost";

    /// <summary>The default guest account over loopback, as MassTransit and RabbitMQ.Client accept it.</summary>
    public string ConnectionString => $"amqp://guest:guest@{Loopback.Address}:{Ports.Amqp}";

    private string HomeDirectory => Path.Combine(StateDirectory, "home");
    private string MnesiaDirectory => Path.Combine(StateDirectory, "mnesia");
    private string LogDirectory => Path.Combine(StateDirectory, "log");
    private string ConfigDirectory => Path.Combine(StateDirectory, "config");
    private string ConfigFile => Path.Combine(ConfigDirectory, "rabbitmq.conf");
    private string EnvFile => Path.Combine(ConfigDirectory, "rabbitmq-env.conf");
    private string EnabledPluginsFile => Path.Combine(ConfigDirectory, "enabled_plugins");

    /// <summary>Creates the directories and (re)writes the config files; existing data is kept.</summary>
    public void WriteFiles()
    {
        foreach (var directory in new[] { HomeDirectory, MnesiaDirectory, LogDirectory, ConfigDirectory })
        {
            Directory.CreateDirectory(directory);
        }

        File.WriteAllText(ConfigFile, $"""
            listeners.tcp.1 = {Loopback.Address}:{Ports.Amqp}
            loopback_users = none
            """ + "\n" + ClusterConfig());
        if (Cluster is { } cluster && !OperatingSystem.IsWindows())
        {
            // Erlang refuses a cookie file that others can read; every node (and rabbitmqctl) needs the same one.
            var cookie = Path.Combine(HomeDirectory, ".erlang.cookie");
            if (File.Exists(cookie))
            {
                File.SetUnixFileMode(cookie, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }

            File.WriteAllText(cookie, cluster.Cookie);
            File.SetUnixFileMode(cookie, UnixFileMode.UserRead);
        }
        // An empty env file stops rabbitmq-env from reading /etc/rabbitmq/rabbitmq-env.conf.
        File.WriteAllText(EnvFile, string.Empty);
        File.WriteAllText(EnabledPluginsFile, "[].\n");
    }

    /// <summary>
    /// <c>rabbitmqctl</c> against this node (same cookie, same epmd), e.g. <c>cluster_status</c> or
    /// <c>await_online_nodes 3</c>.
    /// </summary>
    public ServerLaunch ControlLaunch(params string[] arguments) => new(
        Path.Combine(Path.GetDirectoryName(Executables.RabbitMqServer)!, "rabbitmqctl"),
        ["-n", NodeName, .. arguments],
        new Dictionary<string, string>
        {
            ["HOME"] = HomeDirectory,
            ["RABBITMQ_CONF_ENV_FILE"] = EnvFile,
            ["ERL_EPMD_PORT"] = Invariant(Ports.Epmd),
            ["ERL_EPMD_ADDRESS"] = Loopback.Address,
        },
        StateDirectory);

    /// <summary>The node's private epmd, in the foreground, on loopback.</summary>
    public ServerLaunch EpmdLaunch() => new(
        Executables.Epmd,
        ["-port", Invariant(Ports.Epmd), "-address", Loopback.Address],
        new Dictionary<string, string>
        {
            ["ERL_EPMD_PORT"] = Invariant(Ports.Epmd),
            ["ERL_EPMD_ADDRESS"] = Loopback.Address,
        },
        StateDirectory);

    /// <summary>
    /// The broker. With <c>RABBITMQ_ALLOW_INPUT</c> and <c>-noinput</c> the start script execs the Erlang VM,
    /// so the started PID is the broker: SIGTERM stops it cleanly, SIGKILL kills it, nothing is orphaned.
    /// </summary>
    public ServerLaunch ServerLaunch() => new(
        Executables.RabbitMqServer,
        [],
        ServerEnvironment(),
        StateDirectory);

    private Dictionary<string, string> ServerEnvironment() => new()
    {
        ["HOME"] = HomeDirectory,
        ["RABBITMQ_CONF_ENV_FILE"] = EnvFile,
        ["RABBITMQ_CONFIG_FILE"] = ConfigFile,
        ["RABBITMQ_ENABLED_PLUGINS_FILE"] = EnabledPluginsFile,
        ["RABBITMQ_NODENAME"] = NodeName,
        ["RABBITMQ_NODE_IP_ADDRESS"] = Loopback.Address,
        ["RABBITMQ_NODE_PORT"] = Invariant(Ports.Amqp),
        ["RABBITMQ_DIST_PORT"] = Invariant(Ports.Distribution),
        ["RABBITMQ_MNESIA_BASE"] = MnesiaDirectory,
        ["RABBITMQ_LOG_BASE"] = LogDirectory,
        ["RABBITMQ_LOGS"] = "-",
        ["RABBITMQ_ALLOW_INPUT"] = "true",
        // -start_epmd false: the node uses its own epmd (EpmdLaunch) and never spawns an `epmd -daemon`. One spawned while
        // the private epmd was being restarted outlived the app host, held the port, and the next start waited forever.
        ["RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS"] = "-noinput -start_epmd false -kernel inet_dist_use_interface {127,0,0,1}",
        ["ERL_EPMD_PORT"] = Invariant(Ports.Epmd),
        ["ERL_EPMD_ADDRESS"] = Loopback.Address,
        ["ERL_CRASH_DUMP"] = Path.Combine(LogDirectory, "erl_crash.dump"),
    };

    /// <summary>Classic-config peer discovery: a fresh node joins the listed peers' cluster at its first boot.</summary>
    private string ClusterConfig()
    {
        if (Cluster is not { } cluster)
        {
            return string.Empty;
        }

        var lines = new List<string> { "cluster_formation.peer_discovery_backend = rabbit_peer_discovery_classic_config" };
        lines.AddRange(cluster.NodeNames.Select((node, index) =>
            $"cluster_formation.classic_config.nodes.{Invariant(index + 1)} = {node}"));
        // A node that loses contact with the majority pauses instead of serving a minority partition.
        lines.Add("cluster_partition_handling = pause_minority");
        return string.Join('\n', lines) + "\n";
    }

    private static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);
}
