using System.Diagnostics.CodeAnalysis;
using Planetary.Fabric.Runtime.Ports;

namespace Planetary.Fabric.Hosting;

/// <summary>This OS process, as the shells see it: a fresh instance id per start, and a fail-stop that ends it at once.</summary>
public sealed class ProcessControl : IProcessControl
{
    public string InstanceId { get; } = Guid.NewGuid().ToString("N")[..12];

    public int ProcessId { get; } = Environment.ProcessId;

    [DoesNotReturn]
    public void FailStop(string reason, Exception? cause = null) => Hosting.FailStop.Now(reason, cause);
}
