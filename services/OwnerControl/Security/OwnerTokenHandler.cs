using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Planetary.OwnerControl.Problems;

namespace Planetary.OwnerControl.Security;

/// <summary>
/// Authenticates the owner by the bearer token from <c>OwnerControl:Token</c>, compared in constant time. A failed
/// challenge answers 401 with <c>WWW-Authenticate: Bearer</c> and a problem that says what was wrong; with no token
/// configured every change is refused (503), because nobody could prove to be the owner.
/// </summary>
public sealed class OwnerTokenHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    IOptionsMonitor<OwnerControlOptions> owner,
    IProblemDetailsService problems) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    private const string BearerPrefix = "Bearer ";

    private enum Verdict
    {
        Owner,
        NotConfigured,
        Missing,
        NotBearer,
        Wrong,
    }

    protected override Task<AuthenticateResult> HandleAuthenticateAsync() => Task.FromResult(Check() switch
    {
        Verdict.Owner => AuthenticateResult.Success(new AuthenticationTicket(
            new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Role, OwnerAuthentication.Role)], OwnerAuthentication.Scheme)),
            OwnerAuthentication.Scheme)),
        Verdict.Missing => AuthenticateResult.NoResult(),
        Verdict.NotConfigured => AuthenticateResult.Fail("no owner token is configured"),
        Verdict.NotBearer => AuthenticateResult.Fail("the Authorization header is not a bearer token"),
        _ => AuthenticateResult.Fail("the owner token is wrong"),
    });

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var verdict = Check();
        var (status, type, title, detail) = verdict switch
        {
            Verdict.NotConfigured => (StatusCodes.Status503ServiceUnavailable, ProblemTypes.TokenNotConfigured, "Changes are disabled",
                "Owner control has no owner token configured (OwnerControl:Token), so every change is refused. The app host sets it from its secret parameter 'owner-token'."),
            Verdict.NotBearer => (StatusCodes.Status401Unauthorized, ProblemTypes.Unauthorized, "Owner token required",
                "The Authorization header must carry the owner's token as 'Bearer <token>'."),
            Verdict.Wrong => (StatusCodes.Status401Unauthorized, ProblemTypes.Unauthorized, "Wrong owner token",
                "The bearer token in the Authorization header is not the owner's token."),
            _ => (StatusCodes.Status401Unauthorized, ProblemTypes.Unauthorized, "Owner token required",
                "This request changes the fabric and needs the owner's token: send 'Authorization: Bearer <token>' (the app host shows it as the secret parameter 'owner-token')."),
        };

        Response.StatusCode = status;
        if (status == StatusCodes.Status401Unauthorized)
        {
            Response.Headers.WWWAuthenticate = verdict == Verdict.Wrong
                ? "Bearer realm=\"owner-control\", error=\"invalid_token\""
                : "Bearer realm=\"owner-control\"";
        }

        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = Context,
            ProblemDetails = { Status = status, Type = type, Title = title, Detail = detail },
        });
    }

    private Verdict Check()
    {
        var expected = owner.CurrentValue.Token;
        if (string.IsNullOrWhiteSpace(expected))
        {
            return Verdict.NotConfigured;
        }

        var header = Request.Headers.Authorization;
        if (header.Count == 0 || string.IsNullOrEmpty(header[0]))
        {
            return Verdict.Missing;
        }

        var value = header[0]!;
        if (header.Count > 1 || !value.StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase))
        {
            return Verdict.NotBearer;
        }

        return Matches(value[BearerPrefix.Length..].Trim(), expected) ? Verdict.Owner : Verdict.Wrong;
    }

    /// <summary>Compares digests, so the time taken depends on neither the token's content nor its length.</summary>
    private static bool Matches(string presented, string expected)
    {
        Span<byte> a = stackalloc byte[SHA256.HashSizeInBytes];
        Span<byte> b = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(presented), a);
        SHA256.HashData(Encoding.UTF8.GetBytes(expected), b);
        return CryptographicOperations.FixedTimeEquals(a, b);
    }
}
