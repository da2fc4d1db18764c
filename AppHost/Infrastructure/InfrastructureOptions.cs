namespace Planetary.AppHost.Infrastructure;

/// <summary>The <c>Infrastructure</c> configuration section of the app host.</summary>
public sealed class InfrastructureOptions
{
    /// <summary>The configuration section these options bind to.</summary>
    public const string SectionName = "Infrastructure";

    /// <summary><c>auto</c> (default), <c>containers</c>, <c>local</c> or <c>external</c>.</summary>
    public InfrastructureMode Mode { get; set; } = InfrastructureMode.Auto;

    /// <summary>How long <c>auto</c> waits for <c>docker info</c> (or the <c>ASPIRE_CONTAINER_RUNTIME</c> CLI).</summary>
    public int ContainerRuntimeProbeSeconds { get; set; } = 5;

    /// <summary>Settings of the <c>local</c> mode.</summary>
    public LocalInfrastructureOptions Local { get; set; } = new();
}

/// <summary>
/// Ports and state of the local servers. Ports are concrete numbers on purpose: a reference to another
/// resource's allocated port reaches a service unresolved. 0 picks a free port when the app host starts.
/// </summary>
public sealed class LocalInfrastructureOptions
{
    /// <summary>AMQP port of the local RabbitMQ (not 5672, so a system broker does not clash).</summary>
    public int RabbitMqPort { get; set; } = 5673;

    /// <summary>Erlang distribution port of the local RabbitMQ node.</summary>
    public int RabbitMqDistributionPort { get; set; } = 25673;

    /// <summary>Port of the node's private epmd (not 4369, the system epmd's).</summary>
    public int EpmdPort { get; set; } = 4370;

    /// <summary>Port of the local Redis (not 6379).</summary>
    public int RedisPort { get; set; } = 6380;

    /// <summary>Root of the servers' data and config; default <c>.tmp/infrastructure</c> in the repository.</summary>
    public string? StateDirectory { get; set; }

    /// <summary>
    /// False (default): the servers start empty on every app host run, like containers without volumes.
    /// Within one run, data always survives a restart of a server (RabbitMQ mnesia, Redis append-only file).
    /// </summary>
    public bool KeepData { get; set; }

    /// <summary>Throws when a port is out of range or two ports are the same.</summary>
    public void Validate()
    {
        int[] ports = [RabbitMqPort, RabbitMqDistributionPort, EpmdPort, RedisPort];
        if (ports.Any(port => port is < 0 or > 65535))
        {
            throw new InvalidOperationException($"{InfrastructureOptions.SectionName}:Local ports must be 0..65535.");
        }

        var fixedPorts = ports.Where(port => port != 0).ToList();
        if (fixedPorts.Count != fixedPorts.Distinct().Count())
        {
            throw new InvalidOperationException($"{InfrastructureOptions.SectionName}:Local ports must differ.");
        }
    }
}
