namespace Planetary.Bench.Peers;

/// <summary>A peer's run did not finish: a process it needs exited, or the jobs were not all done in time.</summary>
public sealed class PeerRunException(string message) : Exception(message);
