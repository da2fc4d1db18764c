namespace Planetary.AppHost.Infrastructure;

/// <summary>Where the fabric's RabbitMQ (<c>eventbus</c>) and Redis (<c>state</c>) come from.</summary>
public enum InfrastructureMode
{
    /// <summary>Containers if the container runtime answers <c>info</c> in time, else local processes.</summary>
    Auto,

    /// <summary>Aspire's RabbitMQ and Redis containers (needs a running container runtime).</summary>
    Containers,

    /// <summary>Debian's rabbitmq-server and redis-server as executables the app host supervises.</summary>
    Local,

    /// <summary>Existing servers, from <c>ConnectionStrings:eventbus</c> and <c>ConnectionStrings:state</c>.</summary>
    External,
}
