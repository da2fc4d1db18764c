namespace Planetary.Fabric.Hosting.Messaging;

/// <summary>A message a service sends to its own queue to prove it still consumes it (see <see cref="QueueLiveness"/>).</summary>
public sealed record QueueProbe(string Queue, string InstanceId, long Sequence);
