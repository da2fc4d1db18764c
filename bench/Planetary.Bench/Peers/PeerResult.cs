namespace Planetary.Bench.Peers;

/// <summary>One peer's measured run: <paramref name="Jobs"/> no-op jobs, first enqueue to all done in <paramref name="Seconds"/>.</summary>
/// <param name="Settings">What the run used (concurrency, acknowledgement, how the end was counted).</param>
/// <param name="Promise">What the peer promises for a job it accepted, as its documentation says.</param>
public sealed record PeerResult(string Peer, int Jobs, double Seconds, string Settings, string Promise)
{
    public double JobsPerSecond => Jobs / Seconds;
}
