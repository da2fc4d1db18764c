namespace Planetary.Contracts;

/// <summary>
/// Event: the owner's current parameter values, complete (path → canonical value text), so a service that missed
/// earlier versions converges from any one message.
/// </summary>
public sealed record FabricParametersPublished(long Version, IReadOnlyDictionary<string, string> Values, string? ChangedPath, string Actor, long AtMs);

/// <summary>Event: a service reports which parameter version it has applied (e.g. <c>router:earth</c>, <c>node:MARS-ARES-01</c>).</summary>
public sealed record ParametersApplied(string Service, long Version);
