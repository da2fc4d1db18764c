namespace Planetary.Fabric.Simulation.Ports;

/// <summary>Virtual wall-clock time: it moves only when the simulation advances it (one tick length per tick).</summary>
public sealed class SimulatedClock : TimeProvider
{
    /// <summary>Where virtual time starts (fixed, so the same seed gives the same timestamps).</summary>
    public static readonly DateTimeOffset Epoch = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private DateTimeOffset _now = Epoch;

    public override DateTimeOffset GetUtcNow() => _now;

    public override long GetTimestamp() => _now.UtcTicks;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public void Advance(int milliseconds) => _now = _now.AddMilliseconds(milliseconds);
}
