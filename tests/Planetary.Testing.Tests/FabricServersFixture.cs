namespace Planetary.Testing.Tests;

/// <summary>One RabbitMQ + Redis pair shared by the tests of the "fabric servers" collection.</summary>
public sealed class FabricServersFixture : IAsyncLifetime
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(2);
    private FabricServers? _servers;

    public FabricServers Servers => _servers ?? throw new InvalidOperationException("The servers are not started.");

    public async Task InitializeAsync()
    {
        using var deadline = new CancellationTokenSource(StartTimeout);
        _servers = await FabricServers.StartAsync(cancellationToken: deadline.Token);
    }

    public async Task DisposeAsync()
    {
        if (_servers is not null)
        {
            await _servers.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class FabricServersCollection : ICollectionFixture<FabricServersFixture>
{
    public const string Name = "fabric servers";
}
