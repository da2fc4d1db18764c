namespace Planetary.Fabric.Hosting.Messaging;

/// <summary>
/// Whether a service still consumes its own queue, judged from probes it sends to that queue itself
/// (<see cref="QueueLivenessProbe"/>). A probe counts once the broker has confirmed it; a failed send (the broker is away)
/// forgets every probe before it, so an outage alone never looks like a stall. The queue is stalled when a probe the
/// broker took is still unconsumed after <c>deadline</c>: the process is connected and sending, yet hears nothing (a
/// receive endpoint that did not come back after a broker restart, consumers that hang).
/// </summary>
public sealed class QueueLiveness(TimeSpan deadline)
{
    private readonly Lock _lock = new();
    private readonly SortedDictionary<long, DateTimeOffset> _unanswered = [];
    private long _lastSequence;
    private long _lastReceived;

    public TimeSpan Deadline { get; } = deadline > TimeSpan.Zero
        ? deadline
        : throw new ArgumentOutOfRangeException(nameof(deadline), deadline, "The deadline must be positive.");

    /// <summary>The sequence number of the next probe.</summary>
    public long NextSequence()
    {
        lock (_lock)
        {
            return ++_lastSequence;
        }
    }

    /// <summary>The broker confirmed probe <paramref name="sequence"/> at <paramref name="at"/>.</summary>
    public void Confirmed(long sequence, DateTimeOffset at)
    {
        lock (_lock)
        {
            if (sequence > _lastReceived) // it may come back before its confirm does
            {
                _unanswered[sequence] = at;
            }
        }
    }

    /// <summary>A probe could not be handed to the broker: the probes before it prove nothing about consuming.</summary>
    public void SendFailed()
    {
        lock (_lock)
        {
            _unanswered.Clear();
        }
    }

    /// <summary>Probe <paramref name="sequence"/> came back through the queue (and so did every earlier one, in order).</summary>
    public void Received(long sequence)
    {
        lock (_lock)
        {
            _lastReceived = Math.Max(_lastReceived, sequence);
            foreach (var answered in _unanswered.Keys.TakeWhile(s => s <= sequence).ToArray())
            {
                _unanswered.Remove(answered);
            }
        }
    }

    /// <summary>Why the queue counts as stalled at <paramref name="now"/>, or null while it is consumed.</summary>
    public string? Stalled(DateTimeOffset now)
    {
        lock (_lock)
        {
            if (_unanswered.Count == 0)
            {
                return null;
            }

            var (sequence, confirmedAt) = _unanswered.First();
            var waited = now - confirmedAt;
            return waited >= Deadline
                ? $"probe {sequence}, confirmed by the broker {waited.TotalSeconds:0.0} s ago, was never consumed " +
                  $"({_unanswered.Count} unconsumed; deadline {Deadline.TotalSeconds:0} s)"
                : null;
        }
    }
}
