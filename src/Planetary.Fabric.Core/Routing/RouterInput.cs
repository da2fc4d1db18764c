using Planetary.Contracts;

namespace Planetary.Fabric.Routing;

/// <summary>
/// Every message a shard router takes, as one closed set (ticks are <see cref="ShardRouter.Tick"/>). Adapters build
/// these from what they receive: a consumer per message type, or <see cref="FromMessage"/> for a bus that carries
/// contract messages (the simulator).
/// </summary>
public abstract record RouterInput
{
    private RouterInput()
    {
    }

    /// <summary>The contract message this input carries.</summary>
    public abstract object Message { get; }

    /// <summary>The input for a contract message a router takes; throws for any other message (a wiring defect).</summary>
    public static RouterInput FromMessage(object message) => message switch
    {
        SubmitJobs m => new Submit(m),
        ReportJobResults m => new Results(m),
        NodeHeartbeat m => new Heartbeat(m),
        RegisterNode m => new Registration(m),
        TransferJobs m => new TransferIn(m),
        SettleTransfer m => new Settlement(m),
        ShardLoadReported m => new AllyLoad(m),
        FabricParametersPublished m => new Parameters(m),
        CancelJob m => new Cancel(m),
        RequeueJobs m => new Requeue(m),
        _ => throw new ArgumentException($"A shard router does not take {message.GetType().Name}.", nameof(message)),
    };

    /// <summary>
    /// Jobs submitted to this shard, with what the fabric already knows of their ids (<paramref name="Known"/>, looked up
    /// by the process before the core sees the submission; null: not looked up).
    /// </summary>
    public sealed record Submit(SubmitJobs Job, IReadOnlyDictionary<string, KnownJob>? Known = null) : RouterInput
    {
        public override object Message => Job;
    }

    /// <summary>A node reports finished attempts.</summary>
    public sealed record Results(ReportJobResults Report) : RouterInput
    {
        public override object Message => Report;
    }

    /// <summary>A node is alive and runs exactly these attempts.</summary>
    public sealed record Heartbeat(NodeHeartbeat Beat) : RouterInput
    {
        public override object Message => Beat;
    }

    /// <summary>A node (re)joins.</summary>
    public sealed record Registration(RegisterNode Node) : RouterInput
    {
        public override object Message => Node;
    }

    /// <summary>An ally hands this shard jobs.</summary>
    public sealed record TransferIn(TransferJobs Transfer) : RouterInput
    {
        public override object Message => Transfer;
    }

    /// <summary>An ally answers a transfer this shard sent.</summary>
    public sealed record Settlement(SettleTransfer Settle) : RouterInput
    {
        public override object Message => Settle;
    }

    /// <summary>An ally's load report (an observation).</summary>
    public sealed record AllyLoad(ShardLoadReported Load) : RouterInput
    {
        public override object Message => Load;
    }

    /// <summary>The owner's parameters, published.</summary>
    public sealed record Parameters(FabricParametersPublished Published) : RouterInput
    {
        public override object Message => Published;
    }

    /// <summary>The owner cancels a job.</summary>
    public sealed record Cancel(CancelJob Request) : RouterInput
    {
        public override object Message => Request;
    }

    /// <summary>
    /// The owner requeues failed jobs, with their outcomes in the books (<paramref name="Failed"/>, looked up by the process
    /// before the core sees the command; null: not looked up, so nothing is requeued).
    /// </summary>
    public sealed record Requeue(RequeueJobs Request, IReadOnlyDictionary<string, JobOutcome>? Failed = null) : RouterInput
    {
        public override object Message => Request;
    }
}
