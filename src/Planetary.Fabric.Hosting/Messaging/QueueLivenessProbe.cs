using MassTransit;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Planetary.Fabric.Runtime.Ports;

namespace Planetary.Fabric.Hosting.Messaging;

/// <summary>How often a service probes its own queue, and how long a probe may stay unconsumed.</summary>
public sealed record QueueLivenessOptions(string Queue, TimeSpan Interval, TimeSpan Deadline)
{
    /// <summary>How long one probe's send may wait for the broker's confirm; a send that takes longer counts as failed (the shells' bound).</summary>
    public TimeSpan SendTimeout { get; init; } = Planetary.Fabric.Runtime.EffectDispatch.DefaultAttemptTimeout;

    public const string SectionName = "Fabric:QueueProbe";

    /// <summary>Longer than a broker restart plus MassTransit's reconnection (up to about 45 s in the chaos runs).</summary>
    public static readonly TimeSpan DefaultDeadline = TimeSpan.FromSeconds(60);

    public static readonly TimeSpan DefaultInterval = TimeSpan.FromSeconds(5);
}

/// <summary>
/// Sends a <see cref="QueueProbe"/> to the service's own queue every interval and fail-stops the process when one the
/// broker took is not consumed in time (<see cref="QueueLiveness"/>): the supervisor then starts a fresh process with a
/// fresh connection. Without it, an agent whose receive endpoint did not come back after a RabbitMQ kill went on
/// heartbeating while it heard no assignment, and its router charged one attempt after another to it for six minutes.
/// </summary>
public sealed partial class QueueLivenessProbe(
    QueueLivenessOptions options,
    QueueLiveness liveness,
    IBus bus,
    BusReadiness readiness,
    IProcessControl process,
    TimeProvider time,
    ILogger<QueueLivenessProbe> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await readiness.Ready.WaitAsync(stoppingToken); // the endpoints are up: the queue exists with its owner's arguments
        var endpoint = await bus.GetSendEndpoint(Queues.SendAddress(options.Queue));
        while (!stoppingToken.IsCancellationRequested)
        {
            var sequence = liveness.NextSequence();
            try
            {
                using var attempt = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                attempt.CancelAfter(options.SendTimeout);
                await endpoint.Send(new QueueProbe(options.Queue, process.InstanceId, sequence), attempt.Token);
                liveness.Confirmed(sequence, time.GetUtcNow());
            }
            catch (Exception) when (!stoppingToken.IsCancellationRequested)
            {
                liveness.SendFailed(); // the broker is away: that is no stall
            }

            if (liveness.Stalled(time.GetUtcNow()) is { } stall)
            {
                LogStalled(options.Queue, stall);
                process.FailStop($"queue {options.Queue} is no longer consumed: {stall}");
            }

            await Task.Delay(options.Interval, time, stoppingToken);
        }
    }

    [LoggerMessage(Level = LogLevel.Critical,
        Message = "Queue {Queue} is no longer consumed although the broker takes messages: {Stall}. Stopping, so that the supervisor starts a fresh process.")]
    private partial void LogStalled(string queue, string stall);
}
