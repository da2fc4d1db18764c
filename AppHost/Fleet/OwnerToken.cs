using Microsoft.Extensions.Configuration;

namespace Planetary.AppHost.Fleet;

/// <summary>The bearer token of owner-control's API.</summary>
internal static class OwnerToken
{
    /// <summary>
    /// Secret parameter <c>owner-token</c>: the configured <c>Parameters:owner-token</c> if set (user secrets,
    /// environment <c>Parameters__owner-token</c>, command line), else 32 random letters and digits that Aspire
    /// generates on the first run and saves in the app host's user secrets, so the token stays the same across runs.
    /// The dashboard lists it under Parameters (masked; the eye icon reveals it).
    /// </summary>
    public static IResourceBuilder<ParameterResource> AddOwnerToken(this IDistributedApplicationBuilder builder) =>
        builder.AddParameter(
                FleetNames.OwnerToken,
                new GenerateParameterDefault { MinLength = 32, Special = false },
                secret: true,
                persist: true)
            .WithDescription("Bearer token of owner-control's API (header `Authorization: Bearer <token>`). " +
                             "Generated on the first run and kept in the app host's user secrets; " +
                             "set `Parameters:owner-token` to choose your own.", enableMarkdown: true);

    /// <summary>
    /// Writes the token to <c>OwnerControl:TokenFile</c> (default <c>.tmp/owner-token</c> in the repository, readable
    /// by its owner only) when the app host starts, so the <c>planetary</c> CLI on this machine finds it without being
    /// told. An empty setting writes nothing (the tests do that).
    /// </summary>
    public static void WriteOwnerTokenFile(this IDistributedApplicationBuilder builder, IResourceBuilder<ParameterResource> token)
    {
        var configured = builder.Configuration["OwnerControl:TokenFile"];
        if (configured is { Length: 0 })
        {
            return;
        }

        var path = Path.GetFullPath(configured ?? Path.Combine(builder.AppHostDirectory, "..", ".tmp", "owner-token"));
        builder.Eventing.Subscribe<BeforeStartEvent>(async (_, cancellationToken) =>
        {
            var value = await token.Resource.GetValueAsync(cancellationToken);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            await File.WriteAllTextAsync(path, value, cancellationToken);
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }
        });
    }
}
