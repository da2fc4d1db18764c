using System.Net;
using System.Net.Http.Headers;
using System.Text;
using static Planetary.OwnerControl.Tests.OwnerControlFixture;

namespace Planetary.OwnerControl.Tests;

/// <summary>Owner control over real Kestrel (not the in-memory test server): the body limit holds for bodies of unannounced length.</summary>
[Collection(OwnerControlCollection.Name)]
public sealed class KestrelTests(OwnerControlFixture fixture)
{
    [Fact(Timeout = TestTimeouts.TestMilliseconds)]
    public async Task Over_kestrel_a_chunked_body_over_the_limit_and_malformed_json_are_refused_with_problems_and_change_nothing()
    {
        await using var factory = fixture.CreateFactory(OwnerControlFixture.Token);
        factory.UseKestrel(0);
        factory.StartServer();
        using var client = factory.CreateClient();
        var version = (await fixture.Parameters.CurrentAsync())?.Version ?? 0;
        var body = Encoding.UTF8.GetBytes($$"""{"value": "{{new string('9', 300 * 1024)}}"}""");
        using var request = Owner(HttpMethod.Put, "/api/parameters/routers.spilloverBatch");
        request.Content = new StreamContent(new MemoryStream(body)); // no Content-Length: sent chunked
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.TransferEncodingChunked = true;

        using var response = await client.SendAsync(request);

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.RequestEntityTooLarge, "body-too-large", "262144");
        await ProblemAssert.IsProblemAsync(
            await client.SendAsync(Owner(HttpMethod.Put, "/api/parameters/routers.spilloverBatch", """{"value": 64""")), HttpStatusCode.BadRequest, "malformed-request", "not valid JSON");
        await ProblemAssert.IsProblemAsync(
            await client.SendAsync(Owner(HttpMethod.Post, "/api/pause", token: "wrong")), HttpStatusCode.Unauthorized, "unauthorized", "not the owner's token");
        Assert.Equal(version, (await fixture.Parameters.CurrentAsync())?.Version ?? 0);
    }
}
