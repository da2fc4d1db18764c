using Planetary.Fabric.Effects;
using Planetary.Fabric.Runtime.Ports;

namespace Planetary.Fabric.Runtime;

/// <summary>The one rule for handing effects to the broker: try, and while it is away, back off and try again.</summary>
public static class EffectDispatch
{
    /// <summary>
    /// How long one attempt may wait for the broker's confirms before it is abandoned and retried. Long enough that a
    /// slow but working broker is waited for: on a heavily loaded machine a fresh agent's first send took over 10 s, and
    /// MassTransit logs every abandoned send as a fault at error level. A longer bound did not slow the recovery from a
    /// broker kill (the chaos test's kill-broker: serving again after 67.8 s with 30 s, 70.9 s with 10 s).
    /// </summary>
    public static readonly TimeSpan DefaultAttemptTimeout = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Hands <paramref name="effects"/> to the bus until it takes them, each attempt bounded by <paramref name="attemptTimeout"/>.
    /// Duplicates from a retried attempt are harmless (every consumer is idempotent). False if the bus was still refusing
    /// after <paramref name="giveUpAfter"/> (null: never give up).
    /// </summary>
    public static async ValueTask<bool> UntilTakenAsync(
        IEffectBus bus, IReadOnlyList<Effect> effects, TimeProvider time, TimeSpan? attemptTimeout, TimeSpan? giveUpAfter,
        Action<int, Exception> onRetry, CancellationToken cancellationToken)
    {
        if (effects.Count == 0)
        {
            return true;
        }

        var since = time.GetTimestamp();
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                if (attemptTimeout is { } timeout)
                {
                    using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                    bounded.CancelAfter(timeout);
                    await bus.SendAsync(effects, bounded.Token);
                }
                else
                {
                    await bus.SendAsync(effects, cancellationToken);
                }

                return true;
            }
            catch (Exception e) when (e is not ProcessStoppedException && !cancellationToken.IsCancellationRequested)
            {
                if (giveUpAfter is { } limit && time.GetElapsedTime(since) > limit)
                {
                    return false;
                }

                onRetry(attempt, e);
                await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(2_000, 100 * attempt)), time, cancellationToken);
            }
        }
    }
}
