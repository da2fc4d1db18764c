using System.Diagnostics.CodeAnalysis;
using Aspire.Hosting;
using Aspire.Hosting.Testing;
using MassTransit;
using Microsoft.Extensions.Logging.Abstractions;
using Planetary.Fabric.Hosting.Messaging;
using Planetary.Fabric.Runtime.Ports;
using Planetary.IntegrationTests.Fleet;

namespace Planetary.IntegrationTests;

/// <summary>
/// The queue probe on the fleet's real RabbitMQ: a service whose queue is consumed runs on; one whose queue the broker
/// fills while nothing takes from it (here a consumer that hangs, as an endpoint that never came back would) stops itself.
/// </summary>
[Collection(LiveFleetCollection.Name)]
public sealed class QueueProbeTests(LiveFleet fleet)
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(3);

    [Fact]
    public async Task A_process_whose_own_queue_is_not_consumed_stops_itself_and_one_whose_queue_is_consumed_runs_on()
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        var heard = (Queue: $"probe-test-heard-{run}", Liveness: new QueueLiveness(Deadline), Process: new RecordingProcess("heard"));
        var deaf = (Queue: $"probe-test-deaf-{run}", Liveness: new QueueLiveness(Deadline), Process: new RecordingProcess("deaf"));
        var readiness = new BusReadiness();
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously); // ends the hang before the bus stops
        var uri = new Uri((await fleet.App.GetConnectionStringAsync("eventbus"))!);
        var (user, password) = EventBusAddress.Credentials(uri);
        // Durable queues, as every service's (an auto-delete one would declare its exchange unlike the probe's sends); the
        // test broker is thrown away with the fleet.
        var bus = Bus.Factory.CreateUsingRabbitMq(rabbit =>
        {
            rabbit.ConnectBusObserver(readiness);
            rabbit.Host(uri.Host, (ushort)uri.Port, "/", host =>
            {
                host.Username(user);
                host.Password(password);
            });
            rabbit.ReceiveEndpoint(heard.Queue, endpoint =>
            {
                endpoint.Consumer(() => new QueueProbeConsumer(heard.Liveness, heard.Process));
            });
            rabbit.ReceiveEndpoint(deaf.Queue, endpoint =>
            {
                endpoint.PrefetchCount = 1;
                endpoint.ConcurrentMessageLimit = 1;
                endpoint.Handler<QueueProbe>(_ => release.Task); // hangs until the test is over
            });
        });
        await bus.StartAsync();
        try
        {
            var heardProbe = Probe(heard.Queue, heard.Liveness, heard.Process, bus, readiness);
            var deafProbe = Probe(deaf.Queue, deaf.Liveness, deaf.Process, bus, readiness);
            using var stop = new CancellationTokenSource();
            await heardProbe.StartAsync(stop.Token);
            await deafProbe.StartAsync(stop.Token);

            var stopped = await Assert.ThrowsAsync<ProcessStoppedException>(() => deafProbe.ExecuteTask!.WaitAsync(TimeSpan.FromSeconds(30)));
            Assert.Contains($"queue {deaf.Queue} is no longer consumed", stopped.Reason);
            Assert.Contains("never consumed", stopped.Reason);

            await Task.Delay(Deadline); // as long again: the consumed queue's process is still running
            Assert.Null(heard.Process.StoppedFor);
            Assert.False(heardProbe.ExecuteTask!.IsCompleted);
            await stop.CancelAsync();
            await heardProbe.StopAsync(CancellationToken.None);
        }
        finally
        {
            release.TrySetResult();
            await bus.StopAsync(new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token);
        }
    }

    private static QueueLivenessProbe Probe(string queue, QueueLiveness liveness, IProcessControl process, IBus bus, BusReadiness readiness) =>
        new(new QueueLivenessOptions(queue, Interval, Deadline) { SendTimeout = TimeSpan.FromSeconds(10) }, liveness, bus, readiness, process, TimeProvider.System, NullLogger<QueueLivenessProbe>.Instance);

    private sealed class RecordingProcess(string name) : IProcessControl
    {
        public string? StoppedFor { get; private set; }

        public string InstanceId { get; } = Guid.NewGuid().ToString("N")[..12];

        public int ProcessId => Environment.ProcessId;

        [DoesNotReturn]
        public void FailStop(string reason, Exception? cause = null)
        {
            StoppedFor = reason;
            throw new ProcessStoppedException(name, reason, cause);
        }
    }
}
