namespace Planetary.AppHost.Infrastructure;

/// <summary>An image reference split the way Aspire's annotations want it: registry, image, tag.</summary>
/// <param name="Registry">e.g. <c>docker.io</c> or <c>localhost</c>; null when the reference names none.</param>
/// <param name="Image">e.g. <c>library/rabbitmq</c> or <c>planetary-rabbitmq</c>.</param>
/// <param name="Tag">e.g. <c>3.10.8-debian12</c>; <c>latest</c> when the reference names none.</param>
internal sealed record ContainerImage(string? Registry, string Image, string Tag)
{
    /// <summary>
    /// Parses <c>[registry/]image[:tag]</c>. The first path segment is a registry when it holds a '.' or a ':' or is
    /// <c>localhost</c> (the rule Docker and Podman apply).
    /// </summary>
    public static ContainerImage Parse(string reference)
    {
        if (string.IsNullOrWhiteSpace(reference) || reference.Contains('@', StringComparison.Ordinal))
        {
            throw new FormatException($"'{reference}' is not an image reference of the form [registry/]image[:tag].");
        }

        string? registry = null;
        var rest = reference.Trim();
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        if (slash > 0)
        {
            var first = rest[..slash];
            if (first.Contains('.', StringComparison.Ordinal) || first.Contains(':', StringComparison.Ordinal) || first == "localhost")
            {
                registry = first;
                rest = rest[(slash + 1)..];
            }
        }

        var colon = rest.LastIndexOf(':');
        return colon > rest.LastIndexOf('/')
            ? new ContainerImage(registry, rest[..colon], rest[(colon + 1)..])
            : new ContainerImage(registry, rest, "latest");
    }

    public override string ToString() => $"{(Registry is null ? "" : Registry + "/")}{Image}:{Tag}";
}
