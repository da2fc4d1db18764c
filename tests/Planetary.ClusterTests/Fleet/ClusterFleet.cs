using System.Diagnostics;
using Planetary.LocalServers;
using StackExchange.Redis;
using Xunit.Abstractions;

namespace Planetary.ClusterTests.Fleet;

/// <summary>
/// The fleet on the app host's cluster topology (<c>Infrastructure:Topology=cluster</c>): RabbitMQ nodes
/// <c>eventbus-1..3</c> clustered with quorum queues, Redis <c>state-redis-1</c> (primary) and <c>state-redis-2</c>
/// (replica) behind Sentinels <c>state-sentinel-1..3</c>, every server supervised. Ports are chosen here so the tests
/// can talk to each server.
/// </summary>
public sealed class ClusterFleet(IMessageSink diagnostics) : TestFleet(diagnostics)
{
    private readonly int[] _ports = FreeLoopbackPorts.Take(14);

    public int[] AmqpPorts => _ports[..3];

    public int EpmdPort => _ports[6];

    public int[] RedisPorts => _ports[7..9];

    public int[] SentinelPorts => _ports[9..12];

    /// <summary>A Sentinel-aware connection to whichever Redis is the primary.</summary>
    public IConnectionMultiplexer Redis { get; private set; } = null!;

    public static string BrokerName(int index) => $"eventbus-{index + 1}";

    public static string RedisName(int index) => $"state-redis-{index + 1}";

    protected override IEnumerable<string> InfrastructureArguments()
    {
        yield return "--Infrastructure:Mode=local";
        yield return "--Infrastructure:Topology=cluster";
        for (var index = 0; index < 3; index++)
        {
            yield return $"--Infrastructure:Cluster:RabbitMqPorts:{index}={_ports[index]}";
            yield return $"--Infrastructure:Cluster:RabbitMqDistributionPorts:{index}={_ports[3 + index]}";
            yield return $"--Infrastructure:Cluster:SentinelPorts:{index}={_ports[9 + index]}";
        }

        yield return $"--Infrastructure:Cluster:EpmdPort={_ports[6]}";
        yield return $"--Infrastructure:Cluster:RedisPorts:0={_ports[7]}";
        yield return $"--Infrastructure:Cluster:RedisPorts:1={_ports[8]}";

        // For measurements (docs/scaling.md), e.g. PLANETARY_CLUSTER_TESTS_ARGS=--Infrastructure:Cluster:QuorumQueues=false.
        foreach (var extra in (Environment.GetEnvironmentVariable(ExtraArgumentsVariable) ?? string.Empty)
                     .Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            yield return extra;
        }
    }

    /// <summary>Extra app host arguments for the cluster fleet, space-separated.</summary>
    public const string ExtraArgumentsVariable = "PLANETARY_CLUSTER_TESTS_ARGS";

    protected override async Task OnStartedAsync(CancellationToken cancellationToken) =>
        Redis = await ConnectionMultiplexer.ConnectAsync(RedisSentinelLayout.ConnectionString(SentinelPorts));

    public override async Task DisposeAsync()
    {
        Redis?.Dispose();
        await base.DisposeAsync();
    }

    /// <summary>The process id of a server resource.</summary>
    public int Pid(string resource) =>
        int.Parse(Property(resource, "executable.pid") ?? throw new InvalidOperationException($"{resource} has no process"),
            System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The Redis port the Sentinels name as the primary now.</summary>
    public async Task<int> PrimaryPortAsync()
    {
        var options = new ConfigurationOptions { CommandMap = CommandMap.Sentinel, AllowAdmin = true, TieBreaker = string.Empty };
        options.EndPoints.Add("127.0.0.1", SentinelPorts[0]);
        await using var sentinel = await ConnectionMultiplexer.ConnectAsync(options);
        var primary = await sentinel.GetServer("127.0.0.1", SentinelPorts[0]).SentinelGetMasterAddressByNameAsync(RedisSentinelLayout.MasterName)
                      ?? throw new InvalidOperationException("the Sentinel knows no primary");
        return ((System.Net.IPEndPoint)primary).Port;
    }

    /// <summary><c>rabbitmqctl</c> against one node (its own HOME holds the cluster's cookie): exit code and output.</summary>
    public async Task<(int ExitCode, string Output)> RabbitMqCtlAsync(int node, params string[] arguments)
    {
        var layout = new RabbitMqLocalLayout(
            new RabbitMqPorts(AmqpPorts[node], _ports[3 + node], EpmdPort), Path.Combine(State.FullName, $"rabbitmq-{AmqpPorts[node]}"));
        var launch = layout.ControlLaunch(arguments);
        var startInfo = new ProcessStartInfo(launch.FileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = launch.WorkingDirectory,
        };
        launch.Arguments.ToList().ForEach(startInfo.ArgumentList.Add);
        foreach (var (key, value) in launch.Environment)
        {
            startInfo.Environment[key] = value;
        }

        using var process = Process.Start(startInfo)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        return (process.ExitCode, await output + await error);
    }
}

[CollectionDefinition(Name)]
public sealed class ClusterFleetCollection : ICollectionFixture<ClusterFleet>
{
    public const string Name = "cluster fleet";
}
