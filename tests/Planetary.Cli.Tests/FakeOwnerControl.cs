using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Planetary.Cli.Tests;

/// <summary>
/// A loopback HTTP listener that answers every request with one fixed response (or, given routes, the response for
/// "METHOD /path"), and records the requests and their bodies.
/// </summary>
public sealed class FakeOwnerControl : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Task _loop;

    public FakeOwnerControl(int status, string contentType, string body)
        : this(new Dictionary<string, (int, string)>(), (status, body), contentType)
    {
    }

    public FakeOwnerControl(IReadOnlyDictionary<string, (int Status, string Body)> routes, (int Status, string Body)? otherwise = null, string contentType = "application/json")
    {
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            Url = $"http://127.0.0.1:{((IPEndPoint)probe.LocalEndpoint).Port}";
        }

        _listener.Prefixes.Add(Url + "/");
        _listener.Start();
        _loop = Task.Run(async () =>
        {
            while (_listener.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await _listener.GetContextAsync();
                }
                catch (Exception)
                {
                    return;
                }

                Requests.Add($"{context.Request.HttpMethod} {context.Request.Url!.PathAndQuery} auth={context.Request.Headers["Authorization"]}");
                using (var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8))
                {
                    Bodies.Add(await reader.ReadToEndAsync());
                }

                var (status, body) = routes.TryGetValue($"{context.Request.HttpMethod} {context.Request.Url!.AbsolutePath}", out var route)
                    ? route
                    : otherwise ?? (404, """{"title":"Unknown route"}""");
                context.Response.StatusCode = status;
                context.Response.ContentType = status >= 400 ? "application/problem+json" : contentType;
                var bytes = Encoding.UTF8.GetBytes(body);
                await context.Response.OutputStream.WriteAsync(bytes);
                context.Response.Close();
            }
        });
    }

    public string Url { get; }

    public List<string> Requests { get; } = [];

    /// <summary>The body of each request, in the order of <see cref="Requests"/> (empty when it had none).</summary>
    public List<string> Bodies { get; } = [];

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        _listener.Close();
        await _loop;
    }
}
