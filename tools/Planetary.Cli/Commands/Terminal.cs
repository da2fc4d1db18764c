using Spectre.Console;

namespace Planetary.Cli.Commands;

/// <summary>
/// Whether the CLI may redraw in place: only when standard output is an interactive terminal that understands ANSI
/// (not redirected to a file or a pipe, not <c>TERM=dumb</c>, and <c>--plain</c> not given). Otherwise it prints plain
/// lines, one per update, so logs and scripts read the same facts.
/// </summary>
public static class Terminal
{
    public static bool CanRedraw(bool plain) =>
        !plain
        && !Console.IsOutputRedirected
        && Environment.GetEnvironmentVariable("TERM") is not "dumb"
        && AnsiConsole.Profile.Capabilities.Interactive
        && AnsiConsole.Profile.Capabilities.Ansi;

    /// <summary>A text bar of <paramref name="width"/> cells for done of total.</summary>
    public static string Bar(long done, long total, int width = 24)
    {
        var filled = total <= 0 ? 0 : (int)Math.Clamp(Math.Round(width * (double)done / total), 0, width);
        return new string('█', filled) + new string('░', width - filled);
    }
}
