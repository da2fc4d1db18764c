using Planetary.Contracts;
using Planetary.Fabric.Effects;
using Planetary.Fabric.Manifest;
using Planetary.Fabric.Routing;
using Planetary.Fabric.Runtime.Checkpoints;
using Planetary.Fabric.Runtime.Ports;
using Planetary.Fabric.Runtime.Routers;
using Planetary.Fabric.Simulation.Ports;

namespace Planetary.Fabric.Simulation.Tests.Runtime;

/// <summary>The shared shells over the simulator's in-memory ports, one step at a time.</summary>
internal sealed class ShellHarness
{
    public static readonly FabricManifest Genesis = ManifestLoader.LoadDefault();
    private int _processes;

    public ShellHarness() => Store = new MemoryStateStore(recordTimeline: true, Clock);

    public MemoryStateStore Store { get; }

    public SimulatedClock Clock { get; } = new();

    public RecordingBus Bus { get; } = new();

    public RouterShell Router(string shard = "earth") => Router(Store, shard);

    /// <summary>A router that journals through <paramref name="journal"/> (the store, or a wrapper of it).</summary>
    public RouterShell Router(IJournalStore journal, string shard = "earth") =>
        new(shard, Genesis, new RouterPorts(journal, Store, Store, Store, Bus, new SimulatedProcess($"router-{shard}#{++_processes}", _processes), Clock),
            new RouterShellOptions { SendAttemptTimeout = null, SendGiveUpAfter = null });

    public CheckpointerShell Checkpointer() =>
        new(Genesis, new CheckpointerPorts(Store, Store, Store, Bus, new SimulatedProcess($"checkpointer#{++_processes}", _processes), Clock));

    public static void Run(ValueTask task)
    {
        Assert.True(task.IsCompleted, "in-memory ports complete synchronously");
        task.GetAwaiter().GetResult();
    }

    public static T Run<T>(ValueTask<T> task)
    {
        Assert.True(task.IsCompleted, "in-memory ports complete synchronously");
        return task.GetAwaiter().GetResult();
    }

    public static RouterWork.Input Submit(string shard, params string[] jobIds) => new(
        new RouterInput.Submit(new SubmitJobs($"sub-{string.Join("-", jobIds)}", shard, jobIds.Select(id => new JobSubmission(id, "governance-review", 0)).ToArray())),
        new SimulatedAck());

    public static void Process(RouterShell shell, params RouterWork[] work) => Run(shell.ProcessAsync(work, CancellationToken.None));

    /// <summary>Effects handed to the bus, in order.</summary>
    internal sealed class RecordingBus : IEffectBus
    {
        public List<Effect> Sent { get; } = [];

        public IEnumerable<T> Published<T>() => Sent.Select(e => e switch { Publish p => p.Message, Send s => s.Message, _ => null }).OfType<T>();

        public ValueTask SendAsync(IReadOnlyList<Effect> effects, CancellationToken cancellationToken)
        {
            Sent.AddRange(effects);
            return ValueTask.CompletedTask;
        }
    }
}
