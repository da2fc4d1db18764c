namespace Planetary.AppHost.Supervision;

/// <summary>The <c>Supervisor</c> configuration section of the app host.</summary>
public sealed class SupervisorOptions
{
    /// <summary>The configuration section these options bind to.</summary>
    public const string SectionName = "Supervisor";

    /// <summary>False turns supervision off: a dead service stays dead until the operator starts it.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Wait before the first restart after a crash.</summary>
    public int InitialDelayMilliseconds { get; set; } = 1_000;

    /// <summary>Upper bound of the wait; it doubles each time a service dies again soon after a restart.</summary>
    public int MaxDelayMilliseconds { get; set; } = 10_000;

    /// <summary>A service that ran at least this long before dying is restarted after the initial wait again.</summary>
    public int StableAfterSeconds { get; set; } = 30;

    /// <summary>The backoff these settings describe.</summary>
    public RestartBackoff Backoff => new(
        TimeSpan.FromMilliseconds(InitialDelayMilliseconds),
        TimeSpan.FromMilliseconds(MaxDelayMilliseconds),
        TimeSpan.FromSeconds(StableAfterSeconds));

    /// <summary>Throws when a setting is out of range.</summary>
    public void Validate()
    {
        if (InitialDelayMilliseconds < 0 || MaxDelayMilliseconds < InitialDelayMilliseconds || StableAfterSeconds < 0)
        {
            throw new InvalidOperationException(
                $"{SectionName}: need 0 <= InitialDelayMilliseconds <= MaxDelayMilliseconds and StableAfterSeconds >= 0.");
        }
    }
}
