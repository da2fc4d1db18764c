namespace Planetary.Fabric.Manifest;

/// <summary>One problem in a manifest, located by its JSON path (e.g. <c>$.nodes[2].concurrency</c>).</summary>
public sealed record ManifestError(string Path, string Message)
{
    public override string ToString() => $"{Path}: {Message}";
}

/// <summary>Thrown when a manifest that must be valid is not; carries every problem found.</summary>
public sealed class InvalidManifestException(IReadOnlyList<ManifestError> errors)
    : Exception("The manifest is invalid:\n  " + string.Join("\n  ", errors))
{
    public IReadOnlyList<ManifestError> Errors { get; } = errors;
}
