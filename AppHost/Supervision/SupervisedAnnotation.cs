namespace Planetary.AppHost.Supervision;

/// <summary>Marks a resource whose process the app host restarts when it dies unexpectedly.</summary>
internal sealed class SupervisedAnnotation : IResourceAnnotation;
