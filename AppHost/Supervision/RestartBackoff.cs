namespace Planetary.AppHost.Supervision;

/// <summary>
/// How long to wait before restarting a service that died: nothing after a crash of a process that had been up for
/// <see cref="StableAfter"/> or longer (or the first crash: a killed router is serving again sooner), then
/// <see cref="Initial"/> for a quick second crash, then twice the previous wait, at most <see cref="Max"/>. A crash loop
/// therefore settles at one attempt per <see cref="Max"/>.
/// </summary>
public sealed record RestartBackoff(TimeSpan Initial, TimeSpan Max, TimeSpan StableAfter)
{
    /// <summary>The wait before the next restart.</summary>
    /// <param name="previousDelay">The wait before the previous restart; null when there was none.</param>
    /// <param name="uptime">How long the process ran before it died; null when it never reached Running.</param>
    public TimeSpan NextDelay(TimeSpan? previousDelay, TimeSpan? uptime)
    {
        if (previousDelay is not { } previous || uptime >= StableAfter)
        {
            return TimeSpan.Zero;
        }

        var doubled = previous < TimeSpan.FromTicks(1) ? Initial : previous * 2;
        return doubled > Max ? Max : doubled;
    }
}
