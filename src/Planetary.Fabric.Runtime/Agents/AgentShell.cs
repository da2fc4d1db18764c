using Planetary.Fabric.Agents;
using Planetary.Fabric.Effects;
using Planetary.Fabric.Manifest;
using Planetary.Fabric.Parameters;
using Planetary.Fabric.Runtime.Ports;
using Planetary.Fabric.Validation;

namespace Planetary.Fabric.Runtime.Agents;

/// <summary>Everything a node agent process works with, besides its core.</summary>
public sealed record AgentPorts(IParameterSource Parameters, IEffectBus Bus, IProcessControl Process, TimeProvider Time);

/// <summary>How a node agent process runs its core.</summary>
public sealed record AgentShellOptions
{
    /// <summary>Ticks between status reports.</summary>
    public int StatusIntervalTicks { get; init; } = 10;

    /// <summary>How long one attempt to hand effects to the broker may take (null: unbounded, as in the simulator).</summary>
    public TimeSpan? SendAttemptTimeout { get; init; } = EffectDispatch.DefaultAttemptTimeout;
}

/// <summary>What a node agent process reports of itself as it runs (telemetry live).</summary>
public interface IAgentShellObserver
{
    void Started(NodeAgent agent) { }

    /// <summary>A batch was handled and acknowledged; these effects are about to be sent.</summary>
    void Processed(NodeAgent agent, IReadOnlyList<AgentWork> batch, IReadOnlyList<Effect> effects) { }

    void DispatchRetry(int attempt, Exception error) { }

    /// <summary>An input was malformed and never reached the core; it goes to the error queue.</summary>
    void Quarantined(AgentInput input, string problem) { }
}

/// <summary>
/// A node agent process around its core, written once for the live service and the simulator. It starts the core with
/// the owner's current parameters (not the manifest's) and registers with its router; then each batch of work runs
/// through the core, is acknowledged, and its effects are sent. An agent keeps nothing durable: what it sends is resent
/// until the router has it (results) or repeats anyway (heartbeats), so it acknowledges before sending.
/// </summary>
public sealed class AgentShell(string nodeId, FabricManifest genesis, AgentPorts ports, ulong seed, AgentShellOptions options, IAgentShellObserver? observer = null)
{
    private readonly IAgentShellObserver _observer = observer ?? new NoAgentShellObserver();
    private NodeAgent? _agent;

    public string NodeId { get; } = nodeId;

    public NodeAgent Agent => _agent ?? throw new InvalidOperationException($"agent {NodeId} has not started");

    public bool Started => _agent is not null;

    public long Tick { get; private set; }

    public int TickMs => _agent?.Manifest.Routers.TickMs ?? genesis.Routers.TickMs;

    public async ValueTask StartAsync(CancellationToken cancellationToken)
    {
        var stored = await ValidStoredParameters.ReadAsync(ports.Parameters, genesis, cancellationToken);
        _agent = stored is { IsValid: true }
            ? new NodeAgent(NodeId, stored.Manifest!, stored.Stored.Version, seed)
            : new NodeAgent(NodeId, genesis, 0, seed);
        _observer.Started(_agent);
        await DispatchAsync(_agent.Start(Tick), cancellationToken);
    }

    public async ValueTask ProcessAsync(IReadOnlyList<AgentWork> batch, CancellationToken cancellationToken)
    {
        var agent = Agent;
        var effects = new List<Effect>();
        var stored = await StoredParametersFor(batch, cancellationToken);
        foreach (var work in batch)
        {
            if (work is AgentWork.Input candidate && InputValidation.ProblemWith(candidate.Message) is { } problem)
            {
                _observer.Quarantined(candidate.Message, problem);
                work.Ack?.Reject(problem);
                continue;
            }

            switch (work)
            {
                case AgentWork.Tick:
                    effects.AddRange(agent.Tick(++Tick));
                    if (Tick % options.StatusIntervalTicks == 0)
                    {
                        effects.Add(new Publish(agent.StatusReport(ports.Process.InstanceId, ports.Process.ProcessId)));
                    }

                    break;
                case AgentWork.Input { Message: AgentInput.Parameters published }:
                    // Only the store's values are law: a published message is a nudge to look, never adopted as sent.
                    effects.AddRange(agent.Handle(new AgentInput.Parameters(published.Published with { Version = stored.Version, Values = stored.Values }), Tick));
                    break;
                case AgentWork.Input input:
                    effects.AddRange(agent.Handle(input.Message, Tick));
                    break;
            }
        }

        foreach (var work in batch)
        {
            work.Ack?.Acknowledge();
        }

        _observer.Processed(agent, batch, effects);
        await DispatchAsync(effects, cancellationToken);
    }

    private async ValueTask<StoredParameters> StoredParametersFor(IReadOnlyList<AgentWork> batch, CancellationToken cancellationToken) =>
        batch.Any(w => w is AgentWork.Input { Message: AgentInput.Parameters })
            ? await ValidStoredParameters.ForNudgeAsync(ports.Parameters, genesis, _ => { }, cancellationToken)
            : ValidStoredParameters.None;

    /// <summary>An agent holds nothing durable: it keeps trying until the broker takes its effects.</summary>
    private async ValueTask DispatchAsync(IReadOnlyList<Effect> effects, CancellationToken cancellationToken) =>
        await EffectDispatch.UntilTakenAsync(ports.Bus, effects, ports.Time, options.SendAttemptTimeout, giveUpAfter: null, _observer.DispatchRetry, cancellationToken);

    private sealed class NoAgentShellObserver : IAgentShellObserver;
}
