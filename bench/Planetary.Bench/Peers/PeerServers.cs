using System.Net;
using StackExchange.Redis;

namespace Planetary.Bench.Peers;

/// <summary>
/// The Redis and the RabbitMQ the peers run against, as the fleet's services are given them: Redis as
/// <c>host:port,password=...</c>, RabbitMQ as <c>amqp://user:password@host:port</c>. With neither named, the running
/// fleet's own (<see cref="BenchFleet.ServiceConnectionString"/>).
/// </summary>
public sealed record PeerServers(string Redis, Uri RabbitMq, string Source)
{
    public static PeerServers Resolve(string? redis, string? rabbitMq) =>
        redis is not null && rabbitMq is not null
            ? new(redis, new Uri(rabbitMq), "the servers named on the command line")
            : new(redis ?? BenchFleet.ServiceConnectionString("state"), new Uri(rabbitMq ?? BenchFleet.ServiceConnectionString("eventbus")),
                redis is null && rabbitMq is null ? "the running fleet's servers" : "the running fleet's and the one named on the command line");

    /// <summary>The Redis's <c>host:port</c> (a bracketed IPv6 address as host).</summary>
    public string RedisHostPort => ConfigurationOptions.Parse(Redis).EndPoints.Single() switch
    {
        DnsEndPoint dns => $"{dns.Host}:{dns.Port}",
        IPEndPoint ip => ip.ToString(),
        var other => throw new ArgumentException($"unexpected Redis endpoint {other}"),
    };

    /// <summary>The Redis as Ruby's and Python's clients take it: <c>redis://:password@host:port/0</c>.</summary>
    public string RedisUrl =>
        ConfigurationOptions.Parse(Redis).Password is { Length: > 0 } password
            ? $"redis://:{Uri.EscapeDataString(password)}@{RedisHostPort}/0"
            : $"redis://{RedisHostPort}/0";

    /// <summary>The RabbitMQ as Celery (kombu) takes it: the same URI, the default virtual host spelled <c>//</c>.</summary>
    public string CeleryBrokerUrl
    {
        get
        {
            var virtualHost = RabbitMq.AbsolutePath is "" or "/" ? "/" : Uri.EscapeDataString(Uri.UnescapeDataString(RabbitMq.AbsolutePath[1..]));
            var user = RabbitMq.UserInfo.Length > 0 ? $"{RabbitMq.UserInfo}@" : string.Empty;
            return $"amqp://{user}{RabbitMq.Authority}/{virtualHost}";
        }
    }
}
