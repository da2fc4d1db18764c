using System.Globalization;

namespace Planetary.LocalServers;

/// <summary>
/// One Redis server of a replicated set watched by Sentinels: append-only with fsync on every write, and its settings
/// in a config file (<c>redis.conf</c> in <see cref="DataDirectory"/>) written only when it does not exist yet. The
/// Sentinels rewrite that file when they change the server's role (<c>REPLICAOF</c> + <c>CONFIG REWRITE</c>), so after
/// a failover a restarted server comes back in the role the Sentinels gave it, not the one it started with: a
/// promoted replica is never turned back into a replica of a stale primary by its own command line.
/// </summary>
public sealed class RedisReplicatedLayout
{
    /// <summary>Creates the layout; nothing is written until <see cref="WriteFiles"/>.</summary>
    /// <param name="port">The loopback port the server listens on.</param>
    /// <param name="dataDirectory">Where its config file and append-only file live.</param>
    /// <param name="initialPrimaryPort">The primary to replicate at the first start; null for the initial primary.</param>
    /// <param name="executables">The programs to run.</param>
    public RedisReplicatedLayout(int port, string dataDirectory, int? initialPrimaryPort, ServerExecutables? executables = null)
    {
        Port = port;
        DataDirectory = Path.GetFullPath(dataDirectory);
        InitialPrimaryPort = initialPrimaryPort;
        Executables = executables ?? ServerExecutables.Default;
    }

    /// <summary>The loopback port the server listens on.</summary>
    public int Port { get; }

    /// <summary>Where the config file and the append-only file live.</summary>
    public string DataDirectory { get; }

    /// <summary>The primary this server replicates at its first start (null: it starts as the primary).</summary>
    public int? InitialPrimaryPort { get; }

    /// <summary>The programs to run.</summary>
    public ServerExecutables Executables { get; }

    /// <summary>The config file the server reads and the Sentinels rewrite.</summary>
    public string ConfigFile => Path.Combine(DataDirectory, "redis.conf");

    /// <summary>StackExchange.Redis configuration string of this one server.</summary>
    public string ConnectionString => $"{Loopback.Address}:{Port}";

    /// <summary>Creates the directory and the config file unless it exists (it then holds the Sentinels' choice).</summary>
    public void WriteFiles()
    {
        Directory.CreateDirectory(DataDirectory);
        if (File.Exists(ConfigFile))
        {
            return;
        }

        var lines = new List<string>
        {
            $"port {Invariant(Port)}",
            $"bind {Loopback.Address}",
            $"dir {DataDirectory}",
            "appendonly yes",
            // Every write is fsynced before Redis answers, on the primary and on each replica.
            "appendfsync always",
            "save \"\"",
            "daemonize no",
            $"replica-announce-ip {Loopback.Address}",
        };
        if (InitialPrimaryPort is { } primary)
        {
            lines.Add($"replicaof {Loopback.Address} {Invariant(primary)}");
        }

        File.WriteAllText(ConfigFile, string.Join('\n', lines) + "\n");
    }

    /// <summary>The server in the foreground, reading its config file.</summary>
    public ServerLaunch ServerLaunch() => new(Executables.RedisServer, [ConfigFile], new Dictionary<string, string>(), DataDirectory);

    private static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);
}
