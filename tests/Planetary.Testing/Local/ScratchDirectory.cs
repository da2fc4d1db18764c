namespace Planetary.Testing.Local;

/// <summary>A private directory under the temp dir (honours TMPDIR), deleted on dispose.</summary>
internal sealed class ScratchDirectory : IDisposable
{
    private ScratchDirectory(string path) => Path = path;

    public string Path { get; }

    public static ScratchDirectory Create(string label, string? root)
    {
        var parent = root ?? System.IO.Path.Combine(System.IO.Path.GetTempPath(), "planetary-servers");
        var path = System.IO.Path.Combine(parent, $"{label}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(path);
        return new ScratchDirectory(path);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            // Best effort: a leftover temp folder must not fail a test run.
        }
    }
}
