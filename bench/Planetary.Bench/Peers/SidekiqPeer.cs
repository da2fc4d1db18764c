using System.Globalization;

namespace Planetary.Bench.Peers;

/// <summary>
/// Sidekiq (Debian's ruby-sidekiq) against the Redis: a <c>sidekiq</c> process running a no-op job at
/// <see cref="Concurrency"/> threads, and bench/peers/sidekiq/noop_load.rb pushing the jobs with
/// <c>Sidekiq::Client.push_bulk</c> (1,000 a call) and timing until each has counted itself done (one INCR per job).
/// </summary>
public static class SidekiqPeer
{
    /// <summary>The worker's threads: what Sidekiq's own load script uses.</summary>
    public const int Concurrency = 30;

    public static async Task<PeerResult?> RunAsync(PeerServers servers, int jobs)
    {
        var sidekiq = PeerRuntime.OnPath("sidekiq");
        var ruby = PeerRuntime.OnPath("ruby");
        if (sidekiq is null || ruby is null)
        {
            Console.WriteLine("peers: Sidekiq skipped: no sidekiq or ruby on the PATH (apt-get install -y ruby-sidekiq)");
            return null;
        }

        var folder = PeerRuntime.ScriptFolder("sidekiq");
        var run = $"peers-sidekiq-{Guid.NewGuid().ToString("N")[..8]}";
        var environment = new Dictionary<string, string> { ["REDIS_URL"] = servers.RedisUrl, ["PEERS_RUN"] = run };
        using var worker = PeerProcess.Start(sidekiq, ["-e", "production", "-r", "./noop_load.rb", "-c", Concurrency.ToString(CultureInfo.InvariantCulture), "-q", run], folder, environment);
        using var load = PeerProcess.Start(ruby, ["noop_load.rb", jobs.ToString(CultureInfo.InvariantCulture)], folder, environment);
        var report = await load.WaitForLoadAsync(worker, PeerBench.Limit);
        return new PeerResult(
            $"Sidekiq {report.Version} (Ruby, Redis)",
            jobs,
            report.Seconds,
            $"one sidekiq process, concurrency {Concurrency}; push_bulk of 1,000, all pushed after {report.Pushed:F1} s; done counted by an INCR in the job",
            "push_bulk returns once Redis has the jobs (LPUSH); at-most-once in OSS Sidekiq: a job fetched by BRPOP is lost if the process dies; kept as Redis persists it");
    }
}
