using System.Text.Json;
using MassTransit;
using Microsoft.Extensions.Options;
using Planetary.Contracts;
using Planetary.Fabric.Hosting;
using Planetary.Fabric.Hosting.Messaging;
using Planetary.Fabric.Hosting.Redis;
using Planetary.Fabric.Manifest;
using Planetary.Fabric.Parameters;
using Planetary.Fabric.Reporting;
using Planetary.OwnerControl.Fleet;

namespace Planetary.OwnerControl.Parameters;

/// <summary>How an owner change ended.</summary>
/// <param name="Result">The core's validation (before, after, or why it was refused).</param>
/// <param name="Version">The version the change was stored as (0 unless <see cref="Applied"/>).</param>
/// <param name="Published">Whether the broker confirmed the broadcast (if not, the broadcaster repeats it).</param>
/// <param name="Conflict">Other changes kept winning the compare-and-set; nothing was stored.</param>
public sealed record OwnerChange(ParameterChangeResult Result, long Version, long AtMs, bool Published, bool Conflict)
{
    public bool Applied => Result.Succeeded && !Conflict;
}

/// <summary>
/// The one way owner parameters change: validated by the core against the current manifest (genesis + stored
/// values), stored with its audit entry as a compare-and-set on the version, then broadcast to every service as the
/// complete set of values. The API, pause/resume and the drills all change parameters through here.
/// </summary>
public sealed partial class OwnerParameters(
    GenesisManifest genesis,
    ParameterStore store,
    FabricStateGuard state,
    FleetView fleet,
    IBus bus,
    BusReadiness busReadiness,
    TimeProvider time,
    IOptionsMonitor<OwnerControlOptions> options,
    ILogger<OwnerParameters> logger)
{
    /// <summary>Attempts of the compare-and-set when another change races this one.</summary>
    public const int WriteAttempts = 3;

    public const string BroadcastActor = "owner-control";

    /// <summary>The manifest with the owner's current values, and their version (0 = the genesis values).</summary>
    public Task<(FabricManifest Manifest, long Version)> CurrentAsync() => store.CurrentManifestAsync(genesis.Manifest);

    public FabricManifest Genesis => genesis.Manifest;

    /// <summary>Changes one parameter to a JSON value (number, boolean, list, or text in the parameter's syntax).</summary>
    public Task<OwnerChange> ChangeAsync(string path, JsonElement value, string actor) =>
        ChangeAsync(path, manifest => ParameterChanges.TryApply(manifest, path, value), actor);

    /// <summary>Changes one parameter to a value in its text syntax (<c>64</c>, <c>true</c>, <c>a,b</c>).</summary>
    public Task<OwnerChange> ChangeAsync(string path, string text, string actor) =>
        ChangeAsync(path, manifest => ParameterChanges.TryApply(manifest, path, text), actor);

    /// <summary>
    /// Publishes the current values as they are (start-up and catch-up broadcasts). Nobody waits on it, so it waits for
    /// the bus to have started and gives the broker the shells' longer bound: a fresh fleet on a loaded machine is slow
    /// to confirm its first messages, and an abandoned publish is logged by MassTransit as a fault.
    /// </summary>
    public async Task<bool> RebroadcastAsync(CancellationToken cancellationToken)
    {
        await busReadiness.Ready.WaitAsync(cancellationToken);
        var (manifest, version) = await CurrentAsync();
        return await PublishAsync(
            new FabricParametersPublished(version, ParameterCatalog.Flatten(manifest), null, BroadcastActor, NowMs),
            Planetary.Fabric.Runtime.EffectDispatch.DefaultAttemptTimeout);
    }

    private async Task<OwnerChange> ChangeAsync(string path, Func<FabricManifest, ParameterChangeResult> apply, string actor)
    {
        await state.EnsureAsync();
        for (var attempt = 1; attempt <= WriteAttempts; attempt++)
        {
            var (manifest, version) = await CurrentAsync();
            var result = apply(manifest);
            if (!result.Succeeded)
            {
                LogRefused(actor, path, result.Error, result.Problem);
                return new OwnerChange(result, 0, 0, false, false);
            }

            var values = ParameterCatalog.Flatten(result.Manifest!);
            var atMs = NowMs;
            var next = version + 1;
            var audit = new OwnerLogEntry(next, actor, path, result.Before, result.After, LatestTick(), atMs);
            if (await store.TryWriteAsync(version, values, audit, atMs))
            {
                LogChanged(actor, path, result.Before, result.After, next);
                var published = await PublishAsync(
                    new FabricParametersPublished(next, values, path, actor, atMs), TimeSpan.FromMilliseconds(options.CurrentValue.BrokerTimeoutMs));
                return new OwnerChange(result, next, atMs, published, false);
            }

            LogRaced(path, version, attempt);
        }

        return new OwnerChange(ParameterChangeResult.Fail(path, ParameterChangeError.InvalidResult, "other changes kept winning"), 0, 0, false, true);
    }

    /// <summary>Publishes and waits for the broker's confirmation, within <paramref name="bound"/>; false if it did not come.</summary>
    private async Task<bool> PublishAsync(FabricParametersPublished message, TimeSpan bound)
    {
        using var timeout = new CancellationTokenSource(bound);
        try
        {
            await bus.Publish(message, timeout.Token);
            return true;
        }
        catch (Exception e)
        {
            LogPublishFailed(message.Version, e.Message);
            return false;
        }
    }

    /// <summary>The latest router tick owner control has heard of (the audit entry's tick; 0 before any report).</summary>
    private long LatestTick() =>
        Math.Max(
            fleet.Loads.Values.Select(l => l.Report.Tick).DefaultIfEmpty(0).Max(),
            fleet.Shards.Values.Select(s => s.Report.Tick).DefaultIfEmpty(0).Max());

    private long NowMs => time.GetUtcNow().ToUnixTimeMilliseconds();

    [LoggerMessage(Level = LogLevel.Information, Message = "Owner change by {Actor}: {Path} {Before} -> {After} (version {Version})")]
    private partial void LogChanged(string actor, string path, string? before, string? after, long version);

    [LoggerMessage(Level = LogLevel.Information, Message = "Owner change by {Actor} refused: {Path} ({Error}: {Problem})")]
    private partial void LogRefused(string actor, string path, ParameterChangeError? error, string? problem);

    [LoggerMessage(Level = LogLevel.Information, Message = "Owner change of {Path} raced another change at version {Version} (attempt {Attempt})")]
    private partial void LogRaced(string path, long version, int attempt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Parameters version {Version} were stored but not confirmed by the broker ({Error}); the broadcaster repeats them")]
    private partial void LogPublishFailed(long version, string error);
}
