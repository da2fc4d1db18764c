namespace Planetary.AppHost.Supervision;

/// <summary>
/// How long to wait before restarting a process that died. After a crash of a process that had been up for
/// <see cref="StableAfter"/> or longer (or the first crash): nothing when it restarts at once (a fabric service: a killed
/// router is serving again sooner), else <see cref="Initial"/> (a server). Then, for each quick crash, <see cref="Initial"/>
/// or twice the previous wait, at most <see cref="Max"/>. A crash loop therefore settles at one attempt per <see cref="Max"/>.
/// </summary>
public sealed record RestartBackoff(TimeSpan Initial, TimeSpan Max, TimeSpan StableAfter)
{
    /// <summary>The wait before the next restart.</summary>
    /// <param name="previousDelay">The wait before the previous restart; null when there was none.</param>
    /// <param name="uptime">How long the process ran before it died; null when it never reached Running.</param>
    /// <param name="restartAtOnce">Whether a first (or after a stable run) restart waits nothing.</param>
    public TimeSpan NextDelay(TimeSpan? previousDelay, TimeSpan? uptime, bool restartAtOnce = true)
    {
        if (previousDelay is not { } previous || uptime >= StableAfter)
        {
            return restartAtOnce ? TimeSpan.Zero : Initial;
        }

        var doubled = previous < TimeSpan.FromTicks(1) ? Initial : previous * 2;
        return doubled > Max ? Max : doubled;
    }
}
