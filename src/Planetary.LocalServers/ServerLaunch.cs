namespace Planetary.LocalServers;

/// <summary>Everything needed to start one server process: program, arguments, environment, working directory.</summary>
/// <param name="FileName">Absolute path of the program.</param>
/// <param name="Arguments">Arguments, one per element (no shell quoting).</param>
/// <param name="Environment">Variables to set on top of the inherited environment.</param>
/// <param name="WorkingDirectory">Directory the process starts in.</param>
public sealed record ServerLaunch(
    string FileName,
    IReadOnlyList<string> Arguments,
    IReadOnlyDictionary<string, string> Environment,
    string WorkingDirectory);
