using System.Net;
using System.Text.Json;

namespace Planetary.OwnerControl.Tests;

/// <summary>Checks that a response is an RFC 7807 problem with the expected status, type and detail.</summary>
public static class ProblemAssert
{
    public const string MediaType = "application/problem+json";

    public static async Task<JsonElement> IsProblemAsync(HttpResponseMessage response, HttpStatusCode status, string? type = null, params string[] detailMentions)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"Expected {(int)status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal(MediaType, response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(body).RootElement.Clone();
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("type").GetString()), body);
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("title").GetString()), body);
        Assert.True(problem.TryGetProperty("detail", out var detailProperty), $"No detail: {body}");
        var detail = detailProperty.GetString();
        Assert.False(string.IsNullOrWhiteSpace(detail), body);
        if (type is not null)
        {
            Assert.Equal($"urn:planetary:problem:{type}", problem.GetProperty("type").GetString());
        }

        foreach (var mention in detailMentions)
        {
            Assert.True(detail!.Contains(mention, StringComparison.Ordinal), $"The detail does not mention '{mention}': {body}");
        }

        return problem;
    }
}
