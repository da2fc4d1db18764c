using System.Text.RegularExpressions;

namespace Planetary.Console.Tests;

/// <summary>Reads the level of a line written by .NET's console logger (<c>fail:</c>, <c>crit:</c>), colours or not.</summary>
public static partial class LogLines
{
    public static bool IsErrorOrWorse(string line) => Level().IsMatch(Ansi().Replace(line, string.Empty));

    [GeneratedRegex(@"\x1b\[[0-9;]*m")]
    private static partial Regex Ansi();

    [GeneratedRegex(@"^\s*(\S+\s+)?(fail|crit): ")]
    private static partial Regex Level();
}
