namespace Planetary.Fabric.Chaos;

/// <summary>What a live nemesis does to the running fleet.</summary>
public enum ChaosFaultKind
{
    /// <summary>kill -9 of a random fabric service (a router, an agent, the checkpointer or owner control); the app host restarts it.</summary>
    KillService,

    /// <summary>SIGSTOP of a random fabric service for some seconds, then SIGCONT (a process that hangs, then wakes up).</summary>
    PauseService,

    /// <summary>kill -9 of RabbitMQ; the app host restarts it with its data.</summary>
    KillBroker,

    /// <summary>kill -9 of Redis; the app host restarts it with its data.</summary>
    KillStateStore,

    /// <summary>A second router for a shard that is already served, started by hand as an operator would.</summary>
    SecondRouter,

    /// <summary>The whole fleet stopped (the app host's own shutdown) and started again with the same command.</summary>
    RestartFleet,
}

/// <summary>The names fault kinds go by on the command line and in reports.</summary>
public static class ChaosFaultNames
{
    private static readonly (ChaosFaultKind Kind, string Name)[] Names =
    [
        (ChaosFaultKind.KillService, "kill-service"),
        (ChaosFaultKind.PauseService, "pause-service"),
        (ChaosFaultKind.KillBroker, "kill-broker"),
        (ChaosFaultKind.KillStateStore, "kill-state-store"),
        (ChaosFaultKind.SecondRouter, "second-router"),
        (ChaosFaultKind.RestartFleet, "restart-fleet"),
    ];

    public static IReadOnlyList<ChaosFaultKind> All { get; } = Names.Select(n => n.Kind).ToArray();

    public static string Of(ChaosFaultKind kind) => Names.First(n => n.Kind == kind).Name;

    public static bool TryParse(string text, out ChaosFaultKind kind)
    {
        foreach (var (k, name) in Names)
        {
            if (string.Equals(name, text.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                kind = k;
                return true;
            }
        }

        kind = default;
        return false;
    }

    public static string Known => string.Join(", ", Names.Select(n => n.Name));
}

/// <summary>
/// One fault of a chaos plan: its kind, a number that picks the target among those running when it is injected, how
/// long a paused process stays stopped, and the quiet time before it (after the previous fault recovered).
/// </summary>
public sealed record ChaosFault(int Index, ChaosFaultKind Kind, int Pick, int PauseMs, int GapMs);
