using System.Net.Http.Headers;
using System.Text;

namespace Planetary.AppHost.Fleet;

/// <summary>
/// Dashboard buttons that call owner-control's API with the owner's token. A command can live on any resource
/// (e.g. "Take offline" on an agent) while the request goes to owner-control's <c>http</c> endpoint.
/// </summary>
internal static class OwnerCommands
{
    private const string JsonMediaType = "application/json";
    private const string EmptyJsonBody = "{}";

    /// <summary>"Take offline" holds a node offline for this many ticks.</summary>
    public const int OfflineTicks = 100;

    /// <summary>Run drill, Pause fabric, Resume fabric and Checkpoint now, on owner-control itself.</summary>
    public static IResourceBuilder<ProjectResource> WithOwnerCommands(
        this IResourceBuilder<ProjectResource> ownerControl, IResourceBuilder<ParameterResource> token) =>
        ownerControl
            .WithOwnerApiCommand(ownerControl, token, new OwnerApiCall(
                "run-drill", "Run drill", "/api/drills", EmptyJsonBody,
                "Starts the acceptance drill with the default plan (seed, jobs per shard, faults from the manifest).",
                "Start a drill with the default plan? It submits jobs to every shard.", "Beaker"))
            .WithOwnerApiCommand(ownerControl, token, new OwnerApiCall(
                "pause-fabric", "Pause fabric", "/api/pause", EmptyJsonBody,
                "Stops assignment in every shard; queued jobs wait, none is lost.",
                "Pause the whole fabric?", "Pause"))
            .WithOwnerApiCommand(ownerControl, token, new OwnerApiCall(
                "resume-fabric", "Resume fabric", "/api/resume", EmptyJsonBody,
                "Resumes assignment in every shard.", null, "Play"))
            .WithOwnerApiCommand(ownerControl, token, new OwnerApiCall(
                "checkpoint-now", "Checkpoint now", "/api/checkpoints", EmptyJsonBody,
                "Asks the checkpointer for a snapshot of every router now.", null, "Save"));

    /// <summary>"Take offline" on an agent: POST /api/faults/nodes/{nodeId}/offline on owner-control.</summary>
    public static IResourceBuilder<ProjectResource> WithTakeOfflineCommand(
        this IResourceBuilder<ProjectResource> agent,
        string nodeId,
        IResourceBuilder<ProjectResource> ownerControl,
        IResourceBuilder<ParameterResource> token) =>
        agent.WithOwnerApiCommand(ownerControl, token, new OwnerApiCall(
            "take-offline", "Take offline", $"/api/faults/nodes/{Uri.EscapeDataString(nodeId)}/offline",
            $$"""{"ticks": {{OfflineTicks}}}""",
            $"Injects a fault: {nodeId} goes silent for {OfflineTicks} ticks; its router declares it offline and re-queues its jobs.",
            $"Take {nodeId} offline for {OfflineTicks} ticks?", "PlugDisconnected"));

    private static IResourceBuilder<T> WithOwnerApiCommand<T>(
        this IResourceBuilder<T> resource,
        IResourceBuilder<ProjectResource> ownerControl,
        IResourceBuilder<ParameterResource> token,
        OwnerApiCall call)
        where T : IResourceWithEndpoints =>
        resource.WithHttpCommand(
            call.Path,
            call.DisplayName,
            endpointSelector: () => ownerControl.GetEndpoint("http"),
            commandName: call.Name,
            commandOptions: new HttpCommandOptions
            {
                Method = HttpMethod.Post,
                Description = call.Description,
                ConfirmationMessage = call.ConfirmationMessage,
                IconName = call.IconName,
                IconVariant = IconVariant.Regular,
                ResultMode = HttpCommandResultMode.Auto, // the API's answer (or problem details) shows in the dashboard
                PrepareRequest = async context =>
                {
                    var value = await token.Resource.GetValueAsync(context.CancellationToken).ConfigureAwait(false);
                    context.Request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", value);
                    context.Request.Content = new StringContent(call.JsonBody, Encoding.UTF8, JsonMediaType);
                },
            });

    /// <summary>One owner API call as a dashboard command.</summary>
    private sealed record OwnerApiCall(
        string Name,
        string DisplayName,
        string Path,
        string JsonBody,
        string Description,
        string? ConfirmationMessage,
        string IconName);
}
