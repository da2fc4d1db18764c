using System.Net;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Planetary.Fabric.Hosting.Redis;
using Planetary.Testing;

namespace Planetary.OwnerControl.Tests;

/// <summary>
/// One RabbitMQ + Redis pair and one owner-control host (in-process) for the whole collection, plus a RabbitMQ
/// client to look into queues and the Mermaid checker.
/// </summary>
public sealed class OwnerControlFixture : IAsyncLifetime
{
    public const string Token = "owner-token-for-tests-7f3a";

    private FabricServers? _servers;
    private WebApplicationFactory<Program>? _factory;
    private Broker? _broker;
    private HttpClient? _client;

    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    public static string ManifestPath => Path.Combine(RepositoryRoot, "config", "fabric.json");

    public FabricServers Servers => _servers ?? throw new InvalidOperationException("The servers are not started.");

    public WebApplicationFactory<Program> Factory => _factory ?? throw new InvalidOperationException("Owner control is not started.");

    /// <summary>A client without credentials; owner requests add the token per request (see <see cref="Owner"/>).</summary>
    public HttpClient Client => _client ?? throw new InvalidOperationException("Owner control is not started.");

    public Broker Broker => _broker ?? throw new InvalidOperationException("The broker client is not connected.");

    public ParameterStore Parameters => Factory.Services.GetRequiredService<ParameterStore>();

    public async Task InitializeAsync()
    {
        using var deadline = new CancellationTokenSource(TestTimeouts.Startup);
        var mermaid = MermaidChecker.EnsureInstalledAsync(deadline.Token);
        _servers = await FabricServers.StartAsync(cancellationToken: deadline.Token);
        _factory = CreateFactory(Token);
        _client = _factory.CreateClient();
        await WaitUntilHealthyAsync(_client, deadline.Token);
        _broker = await Broker.ConnectAsync(_servers.RabbitMqConnectionString, deadline.Token);
        await mermaid;
    }

    public async Task DisposeAsync()
    {
        _client?.Dispose();
        if (_broker is not null)
        {
            await _broker.DisposeAsync();
        }

        if (_factory is not null)
        {
            await _factory.DisposeAsync();
        }

        if (_servers is not null)
        {
            await _servers.DisposeAsync();
        }
    }

    /// <summary>An owner-control host on the shared servers; <paramref name="token"/> null = none configured.</summary>
    public WebApplicationFactory<Program> CreateFactory(string? token, Action<IServiceCollection>? services = null) =>
        new WebApplicationFactory<Program>().WithWebHostBuilder(web =>
        {
            web.UseSetting("ConnectionStrings:eventbus", Servers.RabbitMqConnectionString);
            web.UseSetting("ConnectionStrings:state", Servers.RedisConnectionString);
            web.UseSetting("Fabric:ManifestPath", ManifestPath);
            web.UseSetting("OwnerControl:Token", token ?? string.Empty);
            web.UseSetting("OwnerControl:BrokerTimeoutMs", "5000");
            web.UseSetting("OwnerControl:AdmissionTimeoutMs", "2000"); // no router answers here: submissions come back pending
            web.ConfigureLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
            if (services is not null)
            {
                web.ConfigureTestServices(services);
            }
        });

    /// <summary>A request with the owner's token (or <paramref name="token"/>), optionally naming the actor.</summary>
    public static HttpRequestMessage Owner(HttpMethod method, string url, string? json = null, string? actor = null, string? token = Token)
    {
        var request = new HttpRequestMessage(method, url);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        if (actor is not null)
        {
            request.Headers.TryAddWithoutValidation("X-Owner-Actor", actor);
        }

        if (json is not null)
        {
            request.Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json");
        }

        return request;
    }

    public static async Task WaitUntilHealthyAsync(HttpClient client, CancellationToken cancellationToken)
    {
        while (true)
        {
            using var response = await client.GetAsync("/health", cancellationToken);
            if (response.StatusCode == HttpStatusCode.OK)
            {
                return;
            }

            await Task.Delay(100, cancellationToken);
        }
    }

    private static string FindRepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Planetary.Aspire.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No Planetary.Aspire.sln above {AppContext.BaseDirectory}.");
    }
}

[CollectionDefinition(Name)]
public sealed class OwnerControlCollection : ICollectionFixture<OwnerControlFixture>
{
    public const string Name = "owner control";
}
