using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Planetary.Fabric.Journal;
using Planetary.Fabric.Reporting;

namespace Planetary.ClusterTests.Fleet;

/// <summary>One drill on the live fleet through owner control's API: <c>POST /api/drills</c>, then polls <c>GET /api/drills/{id}</c>.</summary>
public sealed class LiveDrill
{
    private readonly HttpClient _owner;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly List<(TimeSpan At, long Finished)> _samples = [];

    private LiveDrill(HttpClient owner, string id)
    {
        _owner = owner;
        Id = id;
    }

    public string Id { get; }

    /// <summary>The last progress read.</summary>
    public JsonElement Progress { get; private set; }

    public string State => Progress.GetProperty("state").GetString()!;

    public long Submitted => Progress.GetProperty("submitted").GetInt64();

    public long Finished => Progress.GetProperty("finished").GetInt64();

    public bool IsOver => State is "completed" or "failed";

    public static async Task<LiveDrill> StartAsync(HttpClient owner, int jobsPerShard, ulong seed)
    {
        var started = await owner.PostAsJsonAsync("/api/drills", new { jobsPerShard, seed });
        var body = await started.Content.ReadAsStringAsync();
        Assert.True(started.IsSuccessStatusCode, $"POST /api/drills: {(int)started.StatusCode} {body}");
        var drill = new LiveDrill(owner, JsonDocument.Parse(body).RootElement.GetProperty("id").GetString()!);
        await drill.RefreshAsync();
        return drill;
    }

    public async Task RefreshAsync()
    {
        Progress = JsonDocument.Parse(await _owner.GetStringAsync($"/api/drills/{Uri.EscapeDataString(Id)}")).RootElement.Clone();
        _samples.Add((_clock.Elapsed, Finished));
    }

    /// <summary>Polls until the condition holds (or the drill ends, which fails the wait).</summary>
    public async Task WaitUntilAsync(Func<LiveDrill, bool> condition, TimeSpan timeout, string what)
    {
        var deadline = _clock.Elapsed + timeout;
        while (true)
        {
            await RefreshAsync();
            if (condition(this))
            {
                return;
            }

            Assert.False(IsOver && !condition(this), $"drill {Id} ended {State} before {what}: {Describe()}");
            Assert.True(_clock.Elapsed < deadline, $"timed out after {timeout.TotalSeconds} s waiting until {what}: {Describe()}");
            await Task.Delay(250);
        }
    }

    /// <summary>Waits for the end; returns the summary.</summary>
    public async Task<DrillSummary> FinishAsync(TimeSpan timeout)
    {
        await WaitUntilAsync(drill => drill.IsOver, timeout, "the drill ends");
        Assert.True(State == "completed", $"drill {Id} {State}: {Describe()}");
        return Progress.GetProperty("summary").Deserialize<DrillSummary>(FabricJson.Options)!;
    }

    /// <summary>
    /// The longest stretch, at or after <paramref name="since"/>, during which the drill's count of finished jobs did not
    /// move (sampled every ~250 ms): how long a fault stalled the fleet as the drill saw it.
    /// </summary>
    public TimeSpan LongestStallSince(TimeSpan since)
    {
        var longest = TimeSpan.Zero;
        (TimeSpan At, long Finished)? last = null;
        foreach (var sample in _samples.Where(s => s.At >= since))
        {
            if (last is { } previous && sample.Finished == previous.Finished)
            {
                longest = sample.At - previous.At > longest ? sample.At - previous.At : longest;
                continue;
            }

            last = sample;
        }

        return longest;
    }

    /// <summary>Time since the drill was started (the clock of <see cref="LongestStallSince"/>).</summary>
    public TimeSpan Elapsed => _clock.Elapsed;

    /// <summary>The drill's event log and its figures, one line each (for the test output).</summary>
    public IEnumerable<string> Report(DrillSummary summary) =>
        Events.Append($"drill: {summary.JobsSubmitted} submitted, {summary.JobsCompleted} completed, {summary.JobsFailed} failed, " +
                      $"{summary.JobsLost} lost, wall time {summary.Live?.WallTimeMs} ms, {summary.Live?.ThroughputJobsPerSecond:0} jobs/s");

    public IEnumerable<string> Events => Progress.GetProperty("events").EnumerateArray().Select(e => e.GetString()!);

    public string Describe() =>
        $"state {State}, submitted {Submitted}, finished {Finished}" +
        (Progress.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.String ? $", error: {error.GetString()}" : "") +
        "; last events: " + string.Join(" | ", Events.TakeLast(5));
}
