using Planetary.Fabric.Hosting.Messaging;

namespace Planetary.OwnerControl.Tests;

/// <summary>When a service counts as deaf to its own queue (and so stops, for the supervisor to start it afresh).</summary>
public sealed class QueueLivenessTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 3, 6, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Fact]
    public void A_probe_the_broker_took_and_nobody_consumed_is_a_stall_once_the_deadline_has_passed()
    {
        var liveness = new QueueLiveness(Deadline);
        liveness.Confirmed(liveness.NextSequence(), Start);
        liveness.Confirmed(liveness.NextSequence(), Start.AddSeconds(5));

        Assert.Null(liveness.Stalled(Start.AddSeconds(59)));
        var stall = liveness.Stalled(Start.AddSeconds(60));
        Assert.NotNull(stall);
        Assert.Contains("probe 1", stall);
        Assert.Contains("2 unconsumed", stall);
    }

    [Fact]
    public void Consumed_probes_are_no_stall_however_old()
    {
        var liveness = new QueueLiveness(Deadline);
        for (var second = 0; second < 600; second += 5)
        {
            var sequence = liveness.NextSequence();
            liveness.Confirmed(sequence, Start.AddSeconds(second));
            liveness.Received(sequence);
        }

        Assert.Null(liveness.Stalled(Start.AddHours(1)));
    }

    [Fact]
    public void A_later_probe_coming_back_answers_the_earlier_ones()
    {
        var liveness = new QueueLiveness(Deadline);
        var first = liveness.NextSequence();
        liveness.Confirmed(first, Start);
        var second = liveness.NextSequence();
        liveness.Confirmed(second, Start.AddSeconds(5));
        var third = liveness.NextSequence();
        liveness.Confirmed(third, Start.AddSeconds(10));

        liveness.Received(second);

        Assert.Null(liveness.Stalled(Start.AddSeconds(65)));
        Assert.Contains($"probe {third}", liveness.Stalled(Start.AddSeconds(70)));
    }

    [Fact]
    public void A_broker_outage_is_no_stall_even_when_probes_it_took_before_are_never_delivered()
    {
        var liveness = new QueueLiveness(Deadline);
        liveness.Confirmed(liveness.NextSequence(), Start);
        liveness.NextSequence();
        liveness.SendFailed(); // the broker went away after confirming probe 1

        Assert.Null(liveness.Stalled(Start.AddMinutes(10)));

        var afterTheOutage = liveness.NextSequence();
        liveness.Confirmed(afterTheOutage, Start.AddMinutes(10));
        Assert.Null(liveness.Stalled(Start.AddMinutes(10).AddSeconds(59)));
        Assert.Contains($"probe {afterTheOutage}", liveness.Stalled(Start.AddMinutes(11)));
    }

    [Fact]
    public void A_probe_consumed_before_its_confirm_arrived_is_no_stall()
    {
        var liveness = new QueueLiveness(Deadline);
        var sequence = liveness.NextSequence();
        liveness.Received(sequence);
        liveness.Confirmed(sequence, Start);

        Assert.Null(liveness.Stalled(Start.AddMinutes(5)));
    }

    [Fact]
    public void The_deadline_must_be_positive() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new QueueLiveness(TimeSpan.Zero));
}
