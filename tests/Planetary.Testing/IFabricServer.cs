namespace Planetary.Testing;

/// <summary>One running server (RabbitMQ or Redis) that tests can connect to and restart.</summary>
public interface IFabricServer : IAsyncDisposable
{
    /// <summary>The connection string clients use; it stays the same across restarts.</summary>
    string ConnectionString { get; }

    /// <summary>
    /// Takes the server down and brings it back on the same port with the same data, returning once it
    /// answers its protocol again. Clients see a dropped connection and must reconnect.
    /// </summary>
    Task RestartAsync(ServerStopMode mode = ServerStopMode.Graceful, CancellationToken cancellationToken = default);

    /// <summary>Takes the server down (keeping its port and data) until <see cref="StartAsync"/>.</summary>
    Task StopAsync(ServerStopMode mode = ServerStopMode.Graceful);

    /// <summary>Brings a stopped server back on the same port with the same data, once it answers its protocol.</summary>
    Task StartAsync(CancellationToken cancellationToken = default);
}
