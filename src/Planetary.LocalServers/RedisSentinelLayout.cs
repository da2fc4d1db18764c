using System.Globalization;

namespace Planetary.LocalServers;

/// <summary>
/// One Redis Sentinel (<c>redis-server sentinel.conf --sentinel</c>) watching the fabric's primary under the name
/// <see cref="MasterName"/>. Its config file is written only when it does not exist yet: a Sentinel records what it
/// learns there (the current primary, the replicas, the other Sentinels, the epoch), and keeps it across restarts.
/// </summary>
public sealed class RedisSentinelLayout
{
    /// <summary>The name clients ask the Sentinels for (<c>serviceName=fabric</c> in a StackExchange.Redis string).</summary>
    public const string MasterName = "fabric";

    /// <summary>Creates the layout; nothing is written until <see cref="WriteFiles"/>.</summary>
    /// <param name="port">The Sentinel's loopback port.</param>
    /// <param name="directory">Where its config file lives.</param>
    /// <param name="initialPrimaryPort">The primary to watch at the first start.</param>
    /// <param name="quorum">How many Sentinels must agree that the primary is down.</param>
    /// <param name="downAfterMilliseconds">Silence after which a Sentinel thinks the primary is down.</param>
    /// <param name="executables">The programs to run.</param>
    public RedisSentinelLayout(
        int port, string directory, int initialPrimaryPort, int quorum = 2, int downAfterMilliseconds = 1_000,
        ServerExecutables? executables = null)
    {
        Port = port;
        Directory = Path.GetFullPath(directory);
        InitialPrimaryPort = initialPrimaryPort;
        Quorum = quorum;
        DownAfterMilliseconds = downAfterMilliseconds;
        Executables = executables ?? ServerExecutables.Default;
    }

    /// <summary>The Sentinel's loopback port.</summary>
    public int Port { get; }

    /// <summary>Where the config file lives.</summary>
    public string Directory { get; }

    /// <summary>The primary watched at the first start.</summary>
    public int InitialPrimaryPort { get; }

    /// <summary>How many Sentinels must agree that the primary is down before one of them fails over.</summary>
    public int Quorum { get; }

    /// <summary>Silence after which a Sentinel considers the primary down.</summary>
    public int DownAfterMilliseconds { get; }

    /// <summary>The programs to run.</summary>
    public ServerExecutables Executables { get; }

    /// <summary>The config file the Sentinel reads and rewrites.</summary>
    public string ConfigFile => Path.Combine(Directory, "sentinel.conf");

    /// <summary>Creates the directory and the config file unless it exists.</summary>
    public void WriteFiles()
    {
        System.IO.Directory.CreateDirectory(Directory);
        if (File.Exists(ConfigFile))
        {
            return;
        }

        File.WriteAllText(ConfigFile, string.Join('\n',
            $"port {Invariant(Port)}",
            $"bind {Loopback.Address}",
            $"dir {Directory}",
            "daemonize no",
            $"sentinel announce-ip {Loopback.Address}",
            $"sentinel monitor {MasterName} {Loopback.Address} {Invariant(InitialPrimaryPort)} {Invariant(Quorum)}",
            $"sentinel down-after-milliseconds {MasterName} {Invariant(DownAfterMilliseconds)}",
            $"sentinel failover-timeout {MasterName} 10000",
            $"sentinel parallel-syncs {MasterName} 1") + "\n");
    }

    /// <summary>The Sentinel in the foreground.</summary>
    public ServerLaunch ServerLaunch() =>
        new(Executables.RedisServer, [ConfigFile, "--sentinel"], new Dictionary<string, string>(), Directory);

    /// <summary>
    /// The StackExchange.Redis configuration string that reaches the current primary through these Sentinels, e.g.
    /// <c>127.0.0.1:26380,127.0.0.1:26381,127.0.0.1:26382,serviceName=fabric</c>.
    /// </summary>
    public static string ConnectionString(IEnumerable<int> sentinelPorts) =>
        string.Join(',', sentinelPorts.Select(port => $"{Loopback.Address}:{Invariant(port)}")) + $",serviceName={MasterName}";

    private static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);
}
