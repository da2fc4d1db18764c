using System.Net.Http.Json;
using Microsoft.Extensions.Configuration;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Planetary.AppHost.Fleet;

/// <summary>
/// Shows the fabric's own states on the dashboard: a router whose shard is paused is <c>Paused</c>, an agent whose node
/// is offline or draining is <c>Offline</c> or <c>Draining</c>, as owner control's <c>GET /api/status</c> reports them
/// (read every two seconds). Only a resource that is running gets such a state, and it is <c>Running</c> again when the
/// condition ends; a process that starts, stops or dies keeps the state the orchestrator gives it. While a custom state
/// shows, the dashboard shows no health for the resource (Aspire computes health for running resources only).
/// </summary>
internal sealed partial class FabricResourceStates(
    FabricFleet fleet, ResourceNotificationService notifications, ILogger<FabricResourceStates> logger) : BackgroundService
{
    public const string Paused = "Paused";
    public const string Offline = "Offline";
    public const string Draining = "Draining";
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        using var timer = new PeriodicTimer(Interval);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                if (await ReadStatusAsync(http, stoppingToken) is { } status)
                {
                    await ApplyAsync(status);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // the app host is stopping
        }
    }

    private async Task<JsonElement?> ReadStatusAsync(HttpClient http, CancellationToken cancellationToken)
    {
        var endpoint = fleet.OwnerControl.GetEndpoint("http");
        if (!endpoint.IsAllocated)
        {
            return null;
        }

        try
        {
            return await http.GetFromJsonAsync<JsonElement>(new Uri(new Uri(endpoint.Url), "/api/status"), cancellationToken);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException && !cancellationToken.IsCancellationRequested)
        {
            return null; // owner control is starting or restarting: keep what shows
        }
    }

    private async Task ApplyAsync(JsonElement status)
    {
        var shards = status.GetProperty("shards").EnumerateArray().ToArray();
        for (var i = 0; i < fleet.Routers.Count && i < fleet.Manifest.Shards.Count; i++)
        {
            var report = shards.FirstOrDefault(s => s.GetProperty("id").GetString() == fleet.Manifest.Shards[i].Id);
            var paused = report.ValueKind == JsonValueKind.Object && report.GetProperty("paused").ValueKind == JsonValueKind.True;
            await ShowAsync(fleet.Routers[i].Resource, paused ? Paused : null);
        }

        var nodes = status.GetProperty("nodes").EnumerateArray().ToArray();
        for (var i = 0; i < fleet.Agents.Count && i < fleet.Manifest.Nodes.Count; i++)
        {
            var report = nodes.FirstOrDefault(n => n.GetProperty("id").GetString() == fleet.Manifest.Nodes[i].Id);
            var state = report.ValueKind == JsonValueKind.Object ? report.GetProperty("state").GetString() : null;
            await ShowAsync(fleet.Agents[i].Resource, state switch { "offline" => Offline, "draining" => Draining, _ => null });
        }
    }

    /// <summary>Shows <paramref name="state"/> (null: plain Running) on a running resource.</summary>
    private async Task ShowAsync(IResource resource, string? state)
    {
        var wanted = state ?? KnownResourceStates.Running;
        if (!notifications.TryGetCurrentState(resource.Name, out var current) || current.Snapshot.State?.Text == wanted || !IsRunning(current.Snapshot.State?.Text))
        {
            return;
        }

        // Decided again on the snapshot the update applies to, so a process that just stopped keeps its state.
        var style = state is null ? KnownResourceStateStyles.Success : state == Offline ? KnownResourceStateStyles.Error : KnownResourceStateStyles.Warn;
        await notifications.PublishUpdateAsync(resource, current.ResourceId, snapshot => IsRunning(snapshot.State?.Text)
            ? snapshot with { State = new ResourceStateSnapshot(wanted, style) }
            : snapshot);
        LogState(current.ResourceId, wanted);
    }

    private static bool IsRunning(string? state) => state == KnownResourceStates.Running || state is Paused or Offline or Draining;

    [LoggerMessage(Level = LogLevel.Information, Message = "{ResourceId} shows {State} (owner control's status)")]
    private partial void LogState(string resourceId, string state);
}

internal static class FabricResourceStatesExtensions
{
    /// <summary>Shows paused shards and offline or draining nodes on their resources (<c>OwnerControl:ShowFabricStates</c>, default on).</summary>
    public static void AddFabricResourceStates(this IDistributedApplicationBuilder builder, FabricFleet fleet)
    {
        if (builder.Configuration.GetValue("OwnerControl:ShowFabricStates", true))
        {
            builder.Services.AddHostedService(services => ActivatorUtilities.CreateInstance<FabricResourceStates>(services, fleet));
        }
    }
}
