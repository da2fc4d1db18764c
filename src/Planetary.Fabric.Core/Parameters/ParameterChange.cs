using Planetary.Fabric.Manifest;

namespace Planetary.Fabric.Parameters;

/// <summary>Why an owner change was refused. Each maps to one problem type in the owner API.</summary>
public enum ParameterChangeError
{
    UnknownPath,
    WrongType,
    OutOfRange,

    /// <summary>The value is well-typed and in range, but the manifest it would produce is invalid (e.g. a template no node can run).</summary>
    InvalidResult,
}

/// <summary>The outcome of validating one owner change against the current manifest.</summary>
public sealed record ParameterChangeResult(
    bool Succeeded,
    FabricManifest? Manifest,
    ParameterDeclaration? Declaration,
    string Path,
    string? Before,
    string? After,
    ParameterChangeError? Error,
    string? Problem)
{
    public static ParameterChangeResult Fail(string path, ParameterChangeError error, string problem, ParameterDeclaration? declaration = null) =>
        new(false, null, declaration, path, null, null, error, problem);
}

/// <summary>Validates and applies one owner change: known path, right type, in range, and a valid manifest afterwards.</summary>
public static class ParameterChanges
{
    public static ParameterChangeResult TryApply(FabricManifest manifest, string path, string? text) =>
        TryApply(manifest, path, declaration => (ParameterValue.TryParse(declaration.Kind, text, out var v, out var p), v, p));

    public static ParameterChangeResult TryApply(FabricManifest manifest, string path, System.Text.Json.JsonElement json) =>
        TryApply(manifest, path, declaration => (ParameterValue.TryFromJson(declaration.Kind, json, out var v, out var p), v, p));

    private static ParameterChangeResult TryApply(
        FabricManifest manifest, string path, Func<ParameterDeclaration, (bool Ok, ParameterValue? Value, string? Problem)> parse)
    {
        if (!ParameterCatalog.TryResolve(manifest, path, out var declaration, out var key, out var unknown))
        {
            return ParameterChangeResult.Fail(path, ParameterChangeError.UnknownPath, unknown!);
        }

        var (ok, value, problem) = parse(declaration!);
        if (!ok)
        {
            return ParameterChangeResult.Fail(path, ParameterChangeError.WrongType, $"{path}: {problem}", declaration);
        }

        var range = declaration!.RangeProblem(value!);
        if (range is not null)
        {
            return ParameterChangeResult.Fail(path, ParameterChangeError.OutOfRange, $"{path} {range}", declaration);
        }

        var before = declaration.Read(manifest, key).ToString();
        var changed = declaration.Write(manifest, key, value!);
        var errors = ManifestValidator.Validate(changed);
        if (errors.Count > 0)
        {
            return ParameterChangeResult.Fail(
                path, ParameterChangeError.InvalidResult, $"{path} = {value} would make the manifest invalid: {string.Join("; ", errors)}", declaration);
        }

        return new ParameterChangeResult(true, changed, declaration, path, before, value!.ToString(), null, null);
    }
}
