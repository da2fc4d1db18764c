using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Planetary.AppHost.Supervision;

/// <summary>Restart-on-crash for the app host's services.</summary>
public static class SupervisionExtensions
{
    /// <summary>
    /// Runs the supervisor in the app host (unless <c>Supervisor:Enabled</c> is false): every resource marked
    /// <see cref="WithSupervision{T}"/> is started again when its process exits without a stop request.
    /// </summary>
    public static IDistributedApplicationBuilder AddProcessSupervisor(this IDistributedApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection(SupervisorOptions.SectionName).Get<SupervisorOptions>()
                      ?? new SupervisorOptions();
        options.Validate();
        if (options.Enabled)
        {
            builder.Services.AddSingleton(options);
            builder.Services.AddHostedService<ProcessSupervisor>();
        }

        return builder;
    }

    /// <summary>Marks a fabric service for the supervisor (see <see cref="AddProcessSupervisor"/>): restarted at once the first time.</summary>
    public static IResourceBuilder<T> WithSupervision<T>(this IResourceBuilder<T> resource)
        where T : IResource =>
        resource.WithAnnotation(new SupervisedAnnotation(restartAtOnce: true), ResourceAnnotationMutationBehavior.Replace);

    /// <summary>Marks a server for the supervisor: its first restart waits the initial backoff (see <see cref="SupervisedAnnotation"/>).</summary>
    public static IResourceBuilder<T> WithServerSupervision<T>(this IResourceBuilder<T> resource)
        where T : IResource =>
        resource.WithAnnotation(new SupervisedAnnotation(restartAtOnce: false), ResourceAnnotationMutationBehavior.Replace);
}
