using Microsoft.AspNetCore.Authentication;

namespace Planetary.OwnerControl.Security;

/// <summary>The owner's bearer-token scheme and the policy every change endpoint requires.</summary>
public static class OwnerAuthentication
{
    public const string Scheme = "OwnerToken";
    public const string Policy = "owner";
    public const string Role = "owner";

    public static IServiceCollection AddOwnerAuthentication(this IServiceCollection services)
    {
        services.AddAuthentication(Scheme).AddScheme<AuthenticationSchemeOptions, OwnerTokenHandler>(Scheme, null);
        services.AddAuthorizationBuilder().AddPolicy(Policy, policy => policy
            .AddAuthenticationSchemes(Scheme)
            .RequireAuthenticatedUser()
            .RequireRole(Role));
        return services;
    }

    /// <summary>Marks an endpoint as a change: it needs the owner's token, and says so in the OpenAPI document.</summary>
    public static RouteHandlerBuilder RequireOwner(this RouteHandlerBuilder endpoint) =>
        endpoint.RequireAuthorization(Policy)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
}
