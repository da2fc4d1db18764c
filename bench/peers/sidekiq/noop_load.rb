# Sidekiq's side of `planetary-bench peers` (bench/Planetary.Bench/Peers/SidekiqPeer.cs starts both halves).
#   sidekiq -e production -r ./noop_load.rb -c CONCURRENCY -q $PEERS_RUN   the worker process: runs NoopJob
#   ruby noop_load.rb JOBS                                                 the load: pushes JOBS, prints the version and the seconds
# Both read REDIS_URL (redis://:password@host:port/0) and PEERS_RUN (the queue and the prefix of this run's own keys).
# NoopJob does nothing but count itself (one INCR), since Sidekiq's own processed count reaches Redis only with the
# process's heartbeat, every 5 s. The load waits for the worker process to start, pushes the jobs with
# Sidekiq::Client.push_bulk, 1,000 per call, and times from the first push until the count reaches JOBS.
require "sidekiq"

# Debian's redis-rb 4.8 warns on Sidekiq 6.4's calls (BRPOP's positional timeout, SADD's result), a line per call.
Redis.silence_deprecations = true

RUN = ENV.fetch("PEERS_RUN")
COUNTER = "#{RUN}:done"
READY = "#{RUN}:ready"

class NoopJob
  include Sidekiq::Worker
  sidekiq_options queue: RUN, retry: false

  def perform
    Sidekiq.redis { |redis| redis.incr(COUNTER) }
  end
end

Sidekiq.configure_server do |config|
  Sidekiq.logger.level = Logger::WARN # no line per job
  config.on(:startup) { Sidekiq.redis { |redis| redis.set(READY, "1", ex: 600) } }
end

def wait_until(limit_seconds, what)
  deadline = Process.clock_gettime(Process::CLOCK_MONOTONIC) + limit_seconds
  until yield
    abort "sidekiq load: #{what} within #{limit_seconds} s" if Process.clock_gettime(Process::CLOCK_MONOTONIC) > deadline
    sleep 0.01
  end
end

if $PROGRAM_NAME == __FILE__
  jobs = Integer(ARGV.fetch(0))
  begin
    wait_until(60, "the worker process did not start") { Sidekiq.redis { |redis| redis.exists?(READY) } }
    started = Process.clock_gettime(Process::CLOCK_MONOTONIC)
    jobs.times.each_slice(1_000) { |slice| Sidekiq::Client.push_bulk("class" => NoopJob, "args" => Array.new(slice.size) { [] }) }
    pushed = Process.clock_gettime(Process::CLOCK_MONOTONIC) - started
    wait_until(600, "not every job was processed") { Sidekiq.redis { |redis| redis.get(COUNTER).to_i >= jobs } }
    elapsed = Process.clock_gettime(Process::CLOCK_MONOTONIC) - started
    puts "version #{Sidekiq::VERSION}"
    puts format("pushed %.3f", pushed)
    puts format("seconds %.3f", elapsed)
  ensure
    Sidekiq.redis { |redis| redis.del(COUNTER, READY, "queue:#{RUN}") && redis.srem("queues", RUN) }
  end
end
