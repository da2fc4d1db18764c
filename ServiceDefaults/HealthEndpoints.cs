namespace Microsoft.Extensions.Hosting;

/// <summary>Paths and tags of the default health endpoints.</summary>
public static class HealthEndpoints
{
    /// <summary>Readiness: every registered health check must pass.</summary>
    public const string HealthPath = "/health";

    /// <summary>Liveness: only checks tagged <see cref="LiveTag"/> must pass.</summary>
    public const string AlivePath = "/alive";

    /// <summary>Tag of the checks that decide liveness.</summary>
    public const string LiveTag = "live";
}
