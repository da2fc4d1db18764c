using System.Globalization;

namespace Planetary.LocalServers;

/// <summary>
/// One Redis server run as a plain child process. Append-only persistence (no RDB snapshots) into
/// <see cref="DataDirectory"/>: a restarted process on the same directory comes back with the data.
/// </summary>
public sealed class RedisLocalLayout
{
    /// <summary>Creates the layout; nothing is written until <see cref="WriteFiles"/>.</summary>
    public RedisLocalLayout(int port, string dataDirectory, ServerExecutables? executables = null)
    {
        Port = port;
        DataDirectory = Path.GetFullPath(dataDirectory);
        Executables = executables ?? ServerExecutables.Default;
    }

    /// <summary>The loopback port the server listens on.</summary>
    public int Port { get; }

    /// <summary>Where the append-only file lives.</summary>
    public string DataDirectory { get; }

    /// <summary>The programs to run.</summary>
    public ServerExecutables Executables { get; }

    /// <summary>StackExchange.Redis configuration string.</summary>
    public string ConnectionString => $"{Loopback.Address}:{Port}";

    /// <summary>Creates the data directory; existing data is kept.</summary>
    public void WriteFiles() => Directory.CreateDirectory(DataDirectory);

    /// <summary>The server in the foreground, bound to loopback, append-only with fsync on every write, no RDB snapshots.</summary>
    public ServerLaunch ServerLaunch() => new(
        Executables.RedisServer,
        [
            "--port", Port.ToString(CultureInfo.InvariantCulture),
            "--bind", Loopback.Address,
            "--dir", DataDirectory,
            "--appendonly", "yes",
            // Every write is fsynced before Redis answers: a router's journal entry that Redis acknowledged
            // survives even a kill -9 of Redis ("journal before effect" holds through a Redis crash).
            "--appendfsync", "always",
            "--save", string.Empty,
            "--daemonize", "no",
        ],
        new Dictionary<string, string>(),
        DataDirectory);
}
