using Planetary.Fabric.Manifest;

namespace Planetary.Fabric.Tests.Manifest;

/// <summary>Assertions over loader/validator errors that print every error when they fail.</summary>
internal static class ManifestErrors
{
    /// <summary>Asserts exactly one error, at <paramref name="path"/>, whose message contains every fragment.</summary>
    public static ManifestError AssertSingle(IReadOnlyList<ManifestError> errors, string path, params string[] fragments)
    {
        if (errors.Count != 1)
        {
            Assert.Fail($"expected exactly one error at {path}, got {errors.Count}:\n  {string.Join("\n  ", errors)}");
        }

        var error = errors[0];
        Assert.Equal(path, error.Path);
        AssertMentions(error, fragments);
        return error;
    }

    /// <summary>Asserts that the errors are at exactly these paths (one error per path).</summary>
    public static void AssertPaths(IReadOnlyList<ManifestError> errors, params string[] paths)
    {
        var actual = errors.Select(e => e.Path).Order(StringComparer.Ordinal).ToArray();
        var expected = paths.Order(StringComparer.Ordinal).ToArray();
        Assert.True(
            actual.SequenceEqual(expected),
            $"expected errors at:\n  {string.Join("\n  ", expected)}\ngot:\n  {string.Join("\n  ", errors)}");
    }

    public static void AssertMentions(ManifestError error, params string[] fragments)
    {
        foreach (var fragment in fragments)
        {
            Assert.True(error.Message.Contains(fragment, StringComparison.Ordinal), $"'{error}' should mention '{fragment}'");
        }
    }
}
