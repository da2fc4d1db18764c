using System.Text.RegularExpressions;

namespace Planetary.Fabric.Validation;

/// <summary>What a job id may be: 1 to 128 of A-Z a-z 0-9 . _ : -, starting with a letter or digit.</summary>
public static partial class JobIds
{
    public const string Rule = "1 to 128 of A-Z a-z 0-9 . _ : -, starting with a letter or digit";

    public static bool IsValid(string? id) => id is not null && Pattern().IsMatch(id);

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$")]
    private static partial Regex Pattern();
}
