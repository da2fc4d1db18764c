using Planetary.Contracts;
using Planetary.Fabric.Determinism;
using Planetary.Fabric.Effects;

namespace Planetary.Fabric.Simulation;

/// <summary>How unreliable the simulated bus is. RabbitMQ with durable queues never drops; the random schedules do.</summary>
public sealed record BusFaults(double DropRate, double DuplicateRate, int MaxExtraDelayTicks)
{
    public static BusFaults None { get; } = new(0, 0, 0);

    /// <summary>What the live broker does: no loss, occasional redelivery, some reordering.</summary>
    public static BusFaults AtLeastOnce { get; } = new(0, 0.002, 1);
}

/// <summary>Who receives a simulated message.</summary>
public enum Recipient
{
    Router,
    Node,
    Checkpointer,

    /// <summary>The drill driver and the owner: they receive published events.</summary>
    Observer,
}

public readonly record struct Delivery(Recipient Recipient, string Id, object Message);

/// <summary>
/// An in-memory bus in virtual time. Every message takes at least one tick; faults (drop, duplicate, extra delay
/// that reorders) come from one seeded sequence, so a run replays exactly.
/// </summary>
public sealed class SimulatedBus(BusFaults faults, SeededRandom random, IReadOnlyList<string> shards, IReadOnlyList<string> nodes)
{
    private PriorityQueue<Delivery, (long Due, long Seq)> _queue = new();
    private long _seq;
    private long _downUntilTick = -1;

    public long Sent { get; private set; }

    public long Dropped { get; private set; }

    public long Duplicated { get; private set; }

    public int InFlight => _queue.Count;

    public long Restarts { get; private set; }

    public bool IsDownAt(long tick) => tick < _downUntilTick;

    /// <summary>
    /// kill -9 of the broker at <paramref name="now"/>, back at <paramref name="untilTick"/>. Queues are durable and
    /// messages persistent, so nothing queued is lost; nothing is delivered meanwhile; senders retry until the broker
    /// takes their messages again, so what is sent meanwhile arrives after the restart; and a publisher whose confirm was
    /// lost in the crash sends again, so some messages in flight arrive twice (<paramref name="duplicateRate"/>).
    /// </summary>
    public void Outage(long now, long untilTick, double duplicateRate)
    {
        _downUntilTick = Math.Max(_downUntilTick, untilTick);
        Restarts++;
        var kept = new PriorityQueue<Delivery, (long Due, long Seq)>();
        while (_queue.TryDequeue(out var delivery, out var key))
        {
            kept.Enqueue(delivery, (Math.Max(key.Due, untilTick), key.Seq));
            if (key.Due <= now + 2 && random.Chance(duplicateRate))
            {
                Duplicated++;
                kept.Enqueue(delivery, (untilTick + random.NextInt(3), ++_seq));
            }
        }

        _queue = kept;
    }

    public void Carry(IEnumerable<Effect> effects, long now)
    {
        foreach (var effect in effects)
        {
            switch (effect)
            {
                case Send s:
                    Enqueue(new Delivery(s.To.Kind == AddressKind.Router ? Recipient.Router : Recipient.Node, s.To.Id, s.Message), now);
                    break;
                case Publish p:
                    Fanout(p.Message, now);
                    break;
            }
        }
    }

    /// <summary>Messages due by <paramref name="tick"/>, in delivery order.</summary>
    public bool TryTake(long tick, out Delivery delivery)
    {
        if (!IsDownAt(tick) && _queue.TryPeek(out delivery, out var key) && key.Due <= tick)
        {
            _queue.Dequeue();
            return true;
        }

        delivery = default;
        return false;
    }

    /// <summary>Puts a message back for a later tick (its recipient is down; its durable queue keeps it).</summary>
    public void Defer(Delivery delivery, long untilTick) => _queue.Enqueue(delivery, (untilTick, ++_seq));

    private void Fanout(object message, long now)
    {
        switch (message)
        {
            case ShardLoadReported:
                foreach (var shard in shards)
                {
                    Enqueue(new Delivery(Recipient.Router, shard, message), now);
                }

                break;
            case FabricParametersPublished:
                foreach (var shard in shards)
                {
                    Enqueue(new Delivery(Recipient.Router, shard, message), now);
                }

                foreach (var node in nodes)
                {
                    Enqueue(new Delivery(Recipient.Node, node, message), now);
                }

                Enqueue(new Delivery(Recipient.Checkpointer, "checkpointer", message), now);
                Enqueue(new Delivery(Recipient.Observer, "owner", message), now);
                break;
            default:
                Enqueue(new Delivery(Recipient.Observer, "observer", message), now);
                break;
        }
    }

    private void Enqueue(Delivery delivery, long now)
    {
        Sent++;
        if (random.Chance(faults.DropRate))
        {
            Dropped++;
            return;
        }

        var earliest = Math.Max(now + 1, _downUntilTick); // while the broker is down the sender retries until it is back
        _queue.Enqueue(delivery, (earliest + ExtraDelay(), ++_seq));
        if (random.Chance(faults.DuplicateRate))
        {
            Duplicated++;
            _queue.Enqueue(delivery, (earliest + ExtraDelay(), ++_seq));
        }
    }

    private int ExtraDelay() => faults.MaxExtraDelayTicks == 0 ? 0 : random.NextInt(faults.MaxExtraDelayTicks + 1);
}
