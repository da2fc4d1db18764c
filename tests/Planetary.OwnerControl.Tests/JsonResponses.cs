using System.Net;
using System.Text.Json;

namespace Planetary.OwnerControl.Tests;

public static class JsonResponses
{
    /// <summary>The JSON body of a response that must have <paramref name="status"/> (the body is shown when it has not).</summary>
    public static async Task<JsonElement> JsonAsync(this HttpResponseMessage response, HttpStatusCode status = HttpStatusCode.OK)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"Expected {(int)status}, got {(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }
}
