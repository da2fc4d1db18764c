namespace Planetary.AppHost.Infrastructure;

/// <summary>Aspire's RabbitMQ and Redis containers (requires a working container runtime).</summary>
internal static class ContainerInfrastructure
{
    private const string RedisCommandPrefix = "redis-server";

    public static (IResourceBuilder<IResourceWithConnectionString> EventBus, IResourceBuilder<IResourceWithConnectionString> State)
        Add(IDistributedApplicationBuilder builder, LocalInfrastructureOptions options)
    {
        var eventBus = builder.AddRabbitMQ(FabricInfrastructure.EventBusName);
        var state = builder.AddRedis(FabricInfrastructure.StateName).WithArgs(AppendOnlyPersistence);
        if (options.KeepData)
        {
            eventBus.WithDataVolume();
            state.WithDataVolume();
        }

        return (eventBus, state);
    }

    /// <summary>
    /// Adds <c>--appendonly yes --appendfsync always</c> to Aspire's Redis command line, so a journal entry Redis
    /// acknowledged is still there after a Redis restart or kill (as with the local server). Aspire 13.6 passes <c>redis-server</c> and its options
    /// as separate arguments; older versions wrapped them in one <c>/bin/sh -c "redis-server …"</c> argument.
    /// </summary>
    private static void AppendOnlyPersistence(CommandLineArgsCallbackContext context)
    {
        if (context.Args is [.., "-c", string shellCommand] && shellCommand.StartsWith(RedisCommandPrefix, StringComparison.Ordinal))
        {
            context.Args[^1] = $"{shellCommand} --appendonly yes --appendfsync always";
        }
        else if (context.Args is [RedisCommandPrefix, ..])
        {
            context.Args.Add("--appendonly");
            context.Args.Add("yes");
            context.Args.Add("--appendfsync");
            context.Args.Add("always");
        }
    }
}
