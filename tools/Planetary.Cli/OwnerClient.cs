using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Planetary.Cli;

/// <summary>Why a call to owner control failed, with the exit code the CLI should end with.</summary>
public sealed class OwnerCallException(string message, int exitCode) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
}

/// <summary>
/// Talks to owner control over HTTP (default http://127.0.0.1:5080, or PLANETARY_URL / --url). The owner token comes
/// from --token, PLANETARY_TOKEN, or the file the app host writes (.tmp/owner-token in the repository).
/// </summary>
public sealed class OwnerClient : IDisposable
{
    public const string DefaultUrl = "http://127.0.0.1:5080";
    private readonly HttpClient _http;

    public OwnerClient(string? url, string? token)
    {
        BaseUrl = url ?? Environment.GetEnvironmentVariable("PLANETARY_URL") ?? DefaultUrl;
        _http = new HttpClient { BaseAddress = new Uri(BaseUrl), Timeout = TimeSpan.FromSeconds(30) };
        var owner = token ?? Environment.GetEnvironmentVariable("PLANETARY_TOKEN") ?? TokenFromFile();
        if (owner is not null)
        {
            _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", owner);
        }

        _http.DefaultRequestHeaders.Add("X-Owner-Actor", $"cli:{Environment.UserName}");
    }

    public string BaseUrl { get; }

    public Task<JsonElement> GetAsync(string path) => SendAsync(HttpMethod.Get, path, null);

    public Task<JsonElement> PostAsync(string path, JsonObject? body = null) => SendAsync(HttpMethod.Post, path, body ?? []);

    public Task<JsonElement> PutAsync(string path, JsonObject body) => SendAsync(HttpMethod.Put, path, body);

    public async Task<string> GetTextAsync(string path)
    {
        using var response = await CallAsync(new HttpRequestMessage(HttpMethod.Get, path));
        return await response.Content.ReadAsStringAsync();
    }

    public void Dispose() => _http.Dispose();

    private async Task<JsonElement> SendAsync(HttpMethod method, string path, JsonObject? body)
    {
        var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = Content(body);
        }

        using var response = await CallAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>
    /// One call whatever its status (the body parsed, or default when empty). Throws <see cref="OwnerCallException"/>
    /// with exit code 2 only when owner control did not answer at all.
    /// </summary>
    public async Task<(HttpStatusCode Status, JsonElement Body)> ExchangeAsync(HttpMethod method, string path, JsonObject? body, CancellationToken cancellationToken)
    {
        var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = Content(body);
        }

        using var response = await TransportAsync(request, cancellationToken);
        string text;
        try
        {
            text = await response.Content.ReadAsStringAsync(cancellationToken);
        }
        catch (Exception e) when (e is HttpRequestException or IOException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            throw new OwnerCallException($"owner control at {BaseUrl} broke off its answer: {e.Message}", 2);
        }

        try
        {
            return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
        }
        catch (JsonException)
        {
            return (response.StatusCode, default);
        }
    }

    private static StringContent Content(JsonObject body) => new(body.ToJsonString(), System.Text.Encoding.UTF8, "application/json");

    private async Task<HttpResponseMessage> TransportAsync(HttpRequestMessage request, CancellationToken cancellationToken = default)
    {
        try
        {
            return await _http.SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException e) when (e.HttpRequestError is HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError)
        {
            throw new OwnerCallException(
                $"owner control is not reachable at {BaseUrl} — is the fleet running? Start it with: bash scripts/run-fabric.sh", 2);
        }
        catch (HttpRequestException e)
        {
            throw new OwnerCallException($"owner control at {BaseUrl} broke off the call: {e.Message}", 2);
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new OwnerCallException($"owner control at {BaseUrl} did not answer within {_http.Timeout.TotalSeconds} s", 2);
        }
    }

    private async Task<HttpResponseMessage> CallAsync(HttpRequestMessage request)
    {
        var response = await TransportAsync(request);
        if (response.IsSuccessStatusCode)
        {
            return response;
        }

        var problem = await response.Content.ReadAsStringAsync();
        var detail = Describe(problem);
        response.Dispose();
        throw response.StatusCode == HttpStatusCode.Unauthorized
            ? new OwnerCallException(
                $"the owner token was refused ({detail}). Pass --token or set PLANETARY_TOKEN; the app host writes it to .tmp/owner-token and the dashboard shows it under the owner-token parameter.", 3)
            : new OwnerCallException($"{(int)response.StatusCode} {detail}", 1);
    }

    private static string Describe(string problem)
    {
        try
        {
            var json = JsonDocument.Parse(problem).RootElement;
            var title = json.TryGetProperty("title", out var t) ? t.GetString() : null;
            var detail = json.TryGetProperty("detail", out var d) ? d.GetString() : null;
            return string.Join(": ", new[] { title, detail }.Where(s => !string.IsNullOrEmpty(s)));
        }
        catch (JsonException)
        {
            return problem.Length > 200 ? problem[..200] : problem;
        }
    }

    private static string? TokenFromFile()
    {
        for (var directory = new DirectoryInfo(Environment.CurrentDirectory); directory is not null; directory = directory.Parent)
        {
            var file = Path.Combine(directory.FullName, ".tmp", "owner-token");
            if (File.Exists(file))
            {
                return File.ReadAllText(file).Trim();
            }
        }

        return null;
    }
}
