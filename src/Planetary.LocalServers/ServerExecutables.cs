namespace Planetary.LocalServers;

/// <summary>
/// Paths of the Debian-packaged server programs (<c>apt-get install -y rabbitmq-server redis-server</c>).
/// RabbitMQ is started through <c>/usr/lib/rabbitmq/bin/rabbitmq-server</c>, not the <c>/usr/sbin</c> wrapper,
/// which switches user and writes to /var/log.
/// </summary>
/// <param name="RabbitMqServer">The RabbitMQ start script that execs the Erlang VM.</param>
/// <param name="Epmd">The Erlang port mapper daemon.</param>
/// <param name="RedisServer">The Redis server.</param>
public sealed record ServerExecutables(string RabbitMqServer, string Epmd, string RedisServer)
{
    private const string InstallHint = "install it with: apt-get install -y rabbitmq-server redis-server";

    /// <summary>The Debian locations, with <c>epmd</c> and <c>redis-server</c> looked up on PATH.</summary>
    public static ServerExecutables Default { get; } = new(
        "/usr/lib/rabbitmq/bin/rabbitmq-server",
        FindOnPath("epmd") ?? "/usr/bin/epmd",
        FindOnPath("redis-server") ?? "/usr/bin/redis-server");

    /// <summary>True when the three programs exist.</summary>
    public bool AreInstalled => MissingPrograms().Count == 0;

    /// <summary>Throws a clear error naming the missing programs and how to install them.</summary>
    public void EnsureInstalled()
    {
        var missing = MissingPrograms();
        if (missing.Count > 0)
        {
            throw new FileNotFoundException(
                $"Local server programs not found: {string.Join(", ", missing)}; {InstallHint}.");
        }
    }

    private List<string> MissingPrograms() =>
        new[] { RabbitMqServer, Epmd, RedisServer }.Where(path => !File.Exists(path)).ToList();

    private static string? FindOnPath(string program)
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? string.Empty;
        return path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, program))
            .FirstOrDefault(File.Exists);
    }
}
