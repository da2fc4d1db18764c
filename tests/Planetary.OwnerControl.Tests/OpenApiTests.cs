using System.Text.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Planetary.OwnerControl.Tests;

[Collection(OwnerControlCollection.Name)]
public sealed class OpenApiTests(OwnerControlFixture fixture)
{
    [Fact(Timeout = TestTimeouts.TestMilliseconds)]
    public async Task The_OpenAPI_document_describes_every_api_route_its_problems_and_the_owner_token()
    {
        var document = await (await fixture.Client.GetAsync("/openapi/v1.json")).JsonAsync();

        var paths = document.GetProperty("paths");
        var routes = fixture.Factory.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/api", StringComparison.Ordinal) == true)
            .SelectMany(e => e.Metadata.GetMetadata<HttpMethodMetadata>()!.HttpMethods.Select(m => (Path: Trim(e.RoutePattern.RawText!), Method: m.ToLowerInvariant(), Endpoint: e)))
            .ToArray();
        Assert.True(routes.Length >= 18, $"only {routes.Length} routes found");
        foreach (var (path, method, endpoint) in routes)
        {
            Assert.True(paths.TryGetProperty(path, out var item), $"{path} is missing from the OpenAPI document");
            Assert.True(item.TryGetProperty(method, out var operation), $"{method.ToUpperInvariant()} {path} is missing from the OpenAPI document");
            Assert.Equal(endpoint.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName, operation.GetProperty("operationId").GetString());
            Assert.False(string.IsNullOrWhiteSpace(operation.GetProperty("summary").GetString()), $"{method} {path} has no summary");
            Assert.True(operation.GetProperty("tags").GetArrayLength() > 0, $"{method} {path} has no tag");
            if (method != "get")
            {
                Assert.True(operation.TryGetProperty("security", out _), $"{method} {path} does not say it needs the owner's token");
                Assert.True(operation.GetProperty("responses").TryGetProperty("401", out _), $"{method} {path} does not describe 401");
            }
        }

        var change = paths.GetProperty("/api/parameters/{path}").GetProperty("put");
        Assert.True(change.GetProperty("responses").GetProperty("422").GetProperty("content").TryGetProperty("application/problem+json", out _));
        Assert.Equal("bearer", document.GetProperty("components").GetProperty("securitySchemes").GetProperty("ownerToken").GetProperty("scheme").GetString());
        Assert.Contains(change.GetProperty("parameters").EnumerateArray(), p => p.GetProperty("name").GetString() == "X-Owner-Actor");
    }

    /// <summary>A group's root route ends in a slash in its pattern, not in the document.</summary>
    private static string Trim(string path) => path.Length > 1 ? path.TrimEnd('/') : path;
}
