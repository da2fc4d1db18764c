namespace Planetary.AppHost.Supervision;

/// <summary>What the supervisor does about one observed state of a supervised resource.</summary>
internal enum SupervisorAction
{
    /// <summary>Nothing changed that calls for action.</summary>
    None,

    /// <summary>The process died without anyone asking it to stop: restart it after <see cref="SupervisorDecision.Delay"/>.</summary>
    Restart,

    /// <summary>The process ended after a stop request (the dashboard's Stop or Restart): leave it.</summary>
    LeaveStopped,
}

/// <summary>A decision with what the supervisor needs to act on it and to log it.</summary>
internal readonly record struct SupervisorDecision(
    SupervisorAction Action,
    TimeSpan Delay = default,
    int? ExitCode = null,
    TimeSpan? Uptime = null,
    string? State = null)
{
    public static SupervisorDecision None => default;
}

/// <summary>
/// The supervisor's view of one resource instance, fed with every snapshot the app host publishes for it.
/// Pure state, no I/O: <see cref="Observe"/> turns a state transition into a decision.
/// </summary>
/// <remarks>
/// <para>
/// Telling an operator's stop from a crash (Aspire 13.6): the Stop command (and Restart, which is Stop then Start)
/// asks the orchestrator to stop the process, and the resource goes through <c>Stopping</c> first; it then ends
/// <c>Finished</c>/<c>Exited</c>, or <c>Unknown</c> when the process outlives the orchestrator's ~12 s stop wait.
/// A process that dies on its own (<c>kill -9</c>: <c>Finished</c> with exit code 137; an unhandled exception;
/// <c>Environment.Exit</c>) goes from <c>Running</c> straight to <c>Finished</c>/<c>Exited</c>. So an end reached
/// through <c>Stopping</c> is left alone, and only a terminal state reached without it is a crash. The request flag
/// is cleared when a new run begins (<c>Starting</c>/<c>Waiting</c>) and whenever the resource is <c>Running</c> again:
/// a restart whose <c>Starting</c> arrives as an empty state would otherwise carry an old stop request into the next
/// crash (seen in a cluster test: a router that died after such a restart was "stopped on request" and left down). App host shutdown also goes through
/// <c>Stopping</c>; the supervisor checks the host's stopping token as well.
/// </para>
/// <para>
/// A resource that never reached <c>Running</c> and was not restarted by the supervisor (e.g. a start that fails
/// on a configuration error) is not restarted: that is not a crash a restart would heal. <c>Unknown</c> without a
/// stop request (the orchestrator lost track of the process) is not acted on either: the process may still run.
/// </para>
/// </remarks>
internal sealed class SupervisedProcess(IResource resource, string resourceId, RestartBackoff backoff)
{
    private const string UnknownState = "Unknown";

    private string? _state;
    private bool _stopRequested;
    private bool _restartPending;
    private DateTimeOffset? _runningSince;
    private TimeSpan? _previousDelay;
    private readonly bool _restartAtOnce = resource.Annotations.OfType<SupervisedAnnotation>().LastOrDefault()?.RestartAtOnce ?? true;

    public IResource Resource { get; } = resource;

    public string ResourceId { get; } = resourceId;

    /// <summary>How many restarts the supervisor decided for this instance.</summary>
    public int Restarts { get; private set; }

    /// <summary>The last state observed (null before the first snapshot).</summary>
    public string? State => _state;

    public SupervisorDecision Observe(string? state, int? exitCode, DateTimeOffset now)
    {
        // Snapshots repeat a state for every health or property change, and a (re)start passes through an empty one.
        if (string.IsNullOrEmpty(state) || state == _state)
        {
            return SupervisorDecision.None;
        }

        var previous = _state;
        _state = state;

        if (state == KnownResourceStates.Stopping)
        {
            _stopRequested = true;
            return SupervisorDecision.None;
        }

        if (state == KnownResourceStates.Starting || state == KnownResourceStates.Waiting)
        {
            _stopRequested = false;
            return SupervisorDecision.None;
        }

        if (state == KnownResourceStates.Running)
        {
            _stopRequested = false; // running again (a new run, or a stop that never happened): a later end is judged afresh
            _runningSince = now;
            _restartPending = false;
            return SupervisorDecision.None;
        }

        if (!HasEnded(state) || HasEnded(previous))
        {
            return SupervisorDecision.None;
        }

        var uptime = _runningSince is { } since ? now - since : (TimeSpan?)null;
        _runningSince = null;

        if (_stopRequested || IsCleanContainerExit(exitCode))
        {
            _previousDelay = null;
            return new SupervisorDecision(SupervisorAction.LeaveStopped, ExitCode: exitCode, Uptime: uptime, State: state);
        }

        if (!IsTerminal(state) || (uptime is null && !_restartPending))
        {
            return SupervisorDecision.None;
        }

        var delay = backoff.NextDelay(_previousDelay, uptime, _restartAtOnce);
        _previousDelay = delay;
        _restartPending = true;
        Restarts++;
        return new SupervisorDecision(SupervisorAction.Restart, delay, exitCode, uptime, state);
    }

    /// <summary>
    /// A container whose main process exited with code 0 was stopped on purpose: Aspire's Stop and Restart commands stop
    /// a container without publishing <c>Stopping</c> first (seen with Podman), and RabbitMQ and Redis exit 0 only when
    /// asked to stop. A kill or a crash of a container exits non-zero (<c>kill -9</c>: 137). Executables are not judged by
    /// their exit code: the orchestrator reports -1 for a kill and for a stop alike.
    /// </summary>
    private bool IsCleanContainerExit(int? exitCode) => Resource is ContainerResource && exitCode == 0;

    /// <summary>Finished, Exited or FailedToStart: the process is gone and Aspire's Start command applies.</summary>
    public static bool IsTerminal(string? state) => state is not null && KnownResourceStates.TerminalStates.Contains(state);

    private static bool HasEnded(string? state) => IsTerminal(state) || state == UnknownState;
}
