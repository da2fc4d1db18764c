using System.Diagnostics.CodeAnalysis;
using Planetary.Fabric.Effects;

namespace Planetary.Fabric.Runtime.Ports;

/// <summary>The owner's current parameters as stored: every value, and the version they carry.</summary>
public sealed record StoredParameters(long Version, IReadOnlyDictionary<string, string> Values, long ChangedAtMs);

/// <summary>Where a starting process reads the owner's current parameters.</summary>
public interface IParameterSource
{
    /// <summary>The stored parameters, or null when the owner never changed any.</summary>
    ValueTask<StoredParameters?> CurrentAsync(CancellationToken cancellationToken);
}

/// <summary>Carries effects out: sends to queues, publishes events. Throws when the broker did not take them (the caller retries).</summary>
public interface IEffectBus
{
    ValueTask SendAsync(IReadOnlyList<Effect> effects, CancellationToken cancellationToken);
}

/// <summary>The process a shell runs in.</summary>
public interface IProcessControl
{
    /// <summary>A name for this process instance, new at every start.</summary>
    string InstanceId { get; }

    int ProcessId { get; }

    /// <summary>
    /// Stops the process at once, acknowledging nothing more (memory and durable state may disagree, or a newer
    /// process owns the work). Never returns: live it ends the process; in the simulator it throws
    /// <see cref="ProcessStoppedException"/>, which no shell catches.
    /// </summary>
    [DoesNotReturn]
    void FailStop(string reason, Exception? cause = null);
}

/// <summary>A process stopped itself (a fail-stop) where stopping cannot end the OS process: the simulator. Shells never catch it.</summary>
public sealed class ProcessStoppedException(string processName, string reason, Exception? cause)
    : Exception($"{processName} stopped: {reason}", cause)
{
    public string ProcessName { get; } = processName;

    public string Reason { get; } = reason;
}

/// <summary>Tells the sender of one input what became of it (RabbitMQ's ack, live).</summary>
public interface IAcknowledgement
{
    /// <summary>The input is durable: acknowledge it.</summary>
    void Acknowledge();

    /// <summary>The input is malformed: it goes to its queue's error queue with this reason, and is not delivered again.</summary>
    void Reject(string reason);
}
