using System.Diagnostics.CodeAnalysis;

namespace Planetary.Fabric.Hosting;

/// <summary>
/// When a state machine has changed its memory but the journal write failed, memory and durable state disagree; when
/// another process owns the work, this one must not touch it again. Either way the only safe move is to stop at once,
/// without acknowledging anything, and rebuild from Redis on restart (the app host restarts the process).
/// <see cref="Environment.FailFast(string)"/> exits without running shutdown code, so no in-flight message is
/// acknowledged on the way out.
/// </summary>
public static class FailStop
{
    [DoesNotReturn]
    public static void Now(string reason, Exception? cause = null)
    {
        Console.Error.WriteLine($"FAIL-STOP: {reason}{(cause is null ? string.Empty : $": {cause.GetType().Name}: {cause.Message}")}");
        Console.Error.Flush();
        Environment.FailFast(reason, cause);
        throw new InvalidOperationException("unreachable");
    }
}
