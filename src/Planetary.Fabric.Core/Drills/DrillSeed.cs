using System.Globalization;
using System.Text;

namespace Planetary.Fabric.Drills;

/// <summary>
/// A drill's seed as the owner gives it: a whole number is the seed itself; any other text (the original demo's
/// seeds were words like <c>planetary-fabric</c>) is turned into one by a fixed hash (64-bit FNV-1a of its UTF-8
/// bytes), so the same text always gives the same drill, and the report shows the text as given.
/// </summary>
public static class DrillSeed
{
    /// <summary>The longest text seed taken.</summary>
    public const int MaxTextLength = 200;

    /// <summary>The seed of <paramref name="given"/>, and the text to report (null when it was a number).</summary>
    public static bool TryParse(string? given, out ulong seed, out string? text, out string? problem)
    {
        seed = 0;
        text = null;
        problem = null;
        var trimmed = given?.Trim() ?? string.Empty;
        if (trimmed.Length == 0)
        {
            problem = "the seed is empty: give a whole number (42) or a word (planetary-fabric)";
            return false;
        }

        if (trimmed.Length > MaxTextLength)
        {
            problem = $"the seed is {trimmed.Length} characters long; at most {MaxTextLength}";
            return false;
        }

        if (ulong.TryParse(trimmed, NumberStyles.None, CultureInfo.InvariantCulture, out seed))
        {
            return true;
        }

        text = trimmed;
        seed = Hash(trimmed);
        return true;
    }

    /// <summary>64-bit FNV-1a of the UTF-8 bytes: fixed forever, so a text seed replays the same drill on any build.</summary>
    public static ulong Hash(string text)
    {
        var hash = 14695981039346656037UL;
        foreach (var b in Encoding.UTF8.GetBytes(text))
        {
            hash ^= b;
            hash *= 1099511628211UL;
        }

        return hash;
    }

    /// <summary>How a seed reads in reports and logs: the text as given, or the number.</summary>
    public static string Describe(ulong seed, string? text) => text ?? seed.ToString(CultureInfo.InvariantCulture);
}
