namespace Planetary.OwnerControl.Problems;

/// <summary>
/// The <c>type</c> of every problem owner control answers with (RFC 7807/9457). Each names one kind of mistake, so a
/// client can branch on it; the <c>detail</c> says what exactly was wrong.
/// </summary>
public static class ProblemTypes
{
    private const string Prefix = "urn:planetary:problem:";

    public const string MalformedRequest = Prefix + "malformed-request";
    public const string MissingValue = Prefix + "missing-value";
    public const string UnsupportedMediaType = Prefix + "unsupported-media-type";
    public const string BodyTooLarge = Prefix + "body-too-large";
    public const string BatchTooLarge = Prefix + "batch-too-large";
    public const string UnknownParameter = Prefix + "unknown-parameter";
    public const string WrongType = Prefix + "wrong-type";
    public const string OutOfRange = Prefix + "out-of-range";
    public const string InvalidManifest = Prefix + "invalid-manifest";
    public const string UnknownShard = Prefix + "unknown-shard";
    public const string UnknownNode = Prefix + "unknown-node";
    public const string UnknownJob = Prefix + "unknown-job";
    public const string UnknownDrill = Prefix + "unknown-drill";
    public const string InvalidJobs = Prefix + "invalid-jobs";
    public const string InvalidActor = Prefix + "invalid-actor";
    public const string JobFinished = Prefix + "job-finished";
    public const string DrillRunning = Prefix + "drill-running";
    public const string InvalidDrill = Prefix + "invalid-drill";
    public const string DrillNotFinished = Prefix + "drill-not-finished";
    public const string VersionConflict = Prefix + "version-conflict";
    public const string Unauthorized = Prefix + "unauthorized";
    public const string TokenNotConfigured = Prefix + "owner-token-not-configured";
    public const string DrillsUnavailable = Prefix + "drills-unavailable";
    public const string StateStoreUnavailable = Prefix + "state-store-unavailable";
    public const string EventBusUnavailable = Prefix + "event-bus-unavailable";
    public const string StateMismatch = Prefix + "state-mismatch";
    public const string NotReported = Prefix + "not-reported";
    public const string ShardFull = Prefix + "shard-full";
    public const string JobIdTaken = Prefix + "job-id-taken";
    public const string InvalidQuery = Prefix + "invalid-query";
    public const string UnknownTemplate = Prefix + "unknown-template";
    public const string NotRequeueable = Prefix + "not-requeueable";
}
