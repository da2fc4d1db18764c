using System.CommandLine;

namespace Planetary.Cli.Commands;

/// <summary>Options every command that talks to owner control shares, and the way they report failures.</summary>
public static class CommonOptions
{
    public static readonly Option<string?> Url = new("--url") { Description = $"Owner control's address (default {OwnerClient.DefaultUrl} or PLANETARY_URL)." };

    public static readonly Option<string?> Token = new("--token") { Description = "The owner token (default PLANETARY_TOKEN or .tmp/owner-token)." };

    public static T WithConnection<T>(this T command)
        where T : Command
    {
        command.Options.Add(Url);
        command.Options.Add(Token);
        return command;
    }

    public static OwnerClient Client(ParseResult parse) => new(parse.GetValue(Url), parse.GetValue(Token));

    /// <summary>Runs an owner-control call, turning failures into a clear message and a non-zero exit code.</summary>
    public static async Task<int> Guard(Func<Task<int>> call)
    {
        try
        {
            return await call();
        }
        catch (OwnerCallException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return e.ExitCode;
        }
    }
}
