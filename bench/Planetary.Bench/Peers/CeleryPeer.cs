using System.Globalization;

namespace Planetary.Bench.Peers;

/// <summary>
/// Celery (Debian's python3-celery) on the RabbitMQ: a prefork worker of <see cref="Processes"/> processes running a no-op
/// task with late acknowledgement, and bench/peers/celery/noop_load.py publishing the tasks (persistent messages to a
/// durable queue, no result backend) and timing until each has counted itself done (one INCR per task in the Redis).
/// </summary>
public static class CeleryPeer
{
    /// <summary>The worker's pool: one process per core, Celery's default.</summary>
    public static readonly int Processes = Environment.ProcessorCount;

    public static async Task<PeerResult?> RunAsync(PeerServers servers, int jobs)
    {
        var python = PeerRuntime.PythonWith("celery", "redis");
        if (python is null)
        {
            Console.WriteLine("peers: Celery skipped: no python3 imports celery and redis (apt-get install -y python3-celery python3-redis)");
            return null;
        }

        var folder = PeerRuntime.ScriptFolder("celery");
        var run = $"peers-celery-{Guid.NewGuid().ToString("N")[..8]}";
        var environment = new Dictionary<string, string>
        {
            ["CELERY_BROKER_URL"] = servers.CeleryBrokerUrl,
            ["PEERS_REDIS_URL"] = servers.RedisUrl,
            ["PEERS_RUN"] = run,
        };
        using var worker = PeerProcess.Start(
            python,
            ["-m", "celery", "-A", "noop_load", "worker", "-Q", run, "--pool", "prefork", "--concurrency", Processes.ToString(CultureInfo.InvariantCulture),
             "--loglevel", "WARNING", "--without-gossip", "--without-mingle", "--without-heartbeat"],
            folder,
            environment);
        using var load = PeerProcess.Start(python, ["noop_load.py", jobs.ToString(CultureInfo.InvariantCulture)], folder, environment);
        var report = await load.WaitForLoadAsync(worker, PeerBench.Limit);
        return new PeerResult(
            $"Celery {report.Version} (Python, RabbitMQ)",
            jobs,
            report.Seconds,
            $"prefork, {Processes} processes, prefetch multiplier 4 (default), task_acks_late on, no result backend; published one by one, all after {report.Pushed:F1} s; done counted by an INCR in Redis",
            "persistent messages to a durable queue, no publisher confirms (py-amqp's default), so a publish returns before RabbitMQ has stored it; at-least-once once stored: with acks_late a task is acknowledged after it returns");
    }
}
