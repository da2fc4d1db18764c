using System.Diagnostics.CodeAnalysis;
using Planetary.Fabric.Runtime.Ports;

namespace Planetary.Fabric.Simulation.Ports;

/// <summary>One simulated process: a name per start, and a fail-stop that unwinds to the simulation.</summary>
public sealed class SimulatedProcess(string instanceId, int processId) : IProcessControl
{
    public string InstanceId { get; } = instanceId;

    public int ProcessId { get; } = processId;

    [DoesNotReturn]
    public void FailStop(string reason, Exception? cause = null) => throw new ProcessStoppedException(InstanceId, reason, cause);
}

/// <summary>An input's acknowledgement in the simulated broker: until it is acknowledged, a crash sends the message back.</summary>
public sealed class SimulatedAck : IAcknowledgement
{
    public bool Acknowledged { get; private set; }

    /// <summary>Why the input was quarantined, or null.</summary>
    public string? Rejected { get; private set; }

    public void Acknowledge() => Acknowledged = true;

    public void Reject(string reason)
    {
        Rejected = reason;
        Acknowledged = true; // gone from the queue: into the error queue
    }
}

/// <summary>Runs a port-bound operation that must complete synchronously (in-memory ports never wait).</summary>
internal static class Synchronously
{
    public static void Run(ValueTask task)
    {
        if (!task.IsCompleted)
        {
            throw new InvalidOperationException("a simulated operation did not complete synchronously (a port waited)");
        }

        task.GetAwaiter().GetResult();
    }

    public static T Run<T>(ValueTask<T> task)
    {
        if (!task.IsCompleted)
        {
            throw new InvalidOperationException("a simulated operation did not complete synchronously (a port waited)");
        }

        return task.GetAwaiter().GetResult();
    }
}
