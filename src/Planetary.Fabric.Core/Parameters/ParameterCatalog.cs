using Planetary.Fabric.Manifest;
using static Planetary.Fabric.Parameters.ParameterAppliers;

namespace Planetary.Fabric.Parameters;

/// <summary>
/// Every parameter an owner may change, declared once. The owner API, the manifest validator, the services that
/// apply changes and the drills all go through this list.
/// </summary>
public static class ParameterCatalog
{
    public static IReadOnlyList<ParameterDeclaration> All { get; } =
    [
        Fabric("fabric", "paused", ParameterKind.Boolean, 0, 1, Routers,
            "Stops assignment on every shard; queued work stays.",
            m => Bool(m.Fabric.Paused), (m, v) => m with { Fabric = m.Fabric with { Paused = v.AsBool() } }),

        Fabric("routers", "tickMs", ParameterKind.Integer, 5, 60_000, Routers | NodeAgents | Checkpointer,
            "Length of one scheduling tick in milliseconds on the live fleet.",
            m => Int(m.Routers.TickMs), (m, v) => m with { Routers = m.Routers with { TickMs = v.AsInt() } }),
        Fabric("routers", "heartbeatIntervalTicks", ParameterKind.Integer, 1, 10_000, Routers | NodeAgents,
            "Ticks between node heartbeats (and router load reports).",
            m => Int(m.Routers.HeartbeatIntervalTicks), (m, v) => m with { Routers = m.Routers with { HeartbeatIntervalTicks = v.AsInt() } }),
        Fabric("routers", "heartbeatGraceTicks", ParameterKind.Integer, 2, 100_000, Routers,
            "Ticks of silence after which a node is declared offline and its jobs are re-queued.",
            m => Int(m.Routers.HeartbeatGraceTicks), (m, v) => m with { Routers = m.Routers with { HeartbeatGraceTicks = v.AsInt() } }),
        Fabric("routers", "spilloverBatch", ParameterKind.Integer, 1, 10_000, Routers,
            "Most jobs one spillover moves to an ally.",
            m => Int(m.Routers.SpilloverBatch), (m, v) => m with { Routers = m.Routers with { SpilloverBatch = v.AsInt() } }),
        Fabric("routers", "hopLimit", ParameterKind.Integer, 0, 16, Routers,
            "Most times a job may move between shards.",
            m => Int(m.Routers.HopLimit), (m, v) => m with { Routers = m.Routers with { HopLimit = v.AsInt() } }),
        Fabric("routers", "cooldownTicks", ParameterKind.Integer, 0, 100_000, Routers,
            "Ticks a shard waits after one spillover before the next.",
            m => Int(m.Routers.CooldownTicks), (m, v) => m with { Routers = m.Routers with { CooldownTicks = v.AsInt() } }),
        Fabric("routers", "maxAttempts", ParameterKind.Integer, 1, 100, Routers,
            "Attempts per job before it is failed with its last reason.",
            m => Int(m.Routers.MaxAttempts), (m, v) => m with { Routers = m.Routers with { MaxAttempts = v.AsInt() } }),
        Fabric("routers", "jobTimeoutTicks", ParameterKind.Integer, 1, 10_000_000, Routers,
            "Ticks an attempt may run before it counts as failed (timed out).",
            m => Int(m.Routers.JobTimeoutTicks), (m, v) => m with { Routers = m.Routers with { JobTimeoutTicks = v.AsInt() } }),
        Fabric("routers", "transferTimeoutTicks", ParameterKind.Integer, 1, 100_000, Routers,
            "Ticks a router waits for an ally to settle a transfer before sending it again.",
            m => Int(m.Routers.TransferTimeoutTicks), (m, v) => m with { Routers = m.Routers with { TransferTimeoutTicks = v.AsInt() } }),
        Fabric("routers", "drainDeadlineTicks", ParameterKind.Integer, 0, 10_000_000, Routers,
            "Ticks a draining node's running jobs may take to finish; then they are withdrawn and re-queued (no attempt charged).",
            m => Int(m.Routers.DrainDeadlineTicks), (m, v) => m with { Routers = m.Routers with { DrainDeadlineTicks = v.AsInt() } }),
        Fabric("routers", "dedupeRetentionTicks", ParameterKind.Integer, 1, 100_000_000, Routers,
            "Ticks a finished or moved job id is remembered so a redelivered message cannot run it again.",
            m => Int(m.Routers.DedupeRetentionTicks), (m, v) => m with { Routers = m.Routers with { DedupeRetentionTicks = v.AsInt() } }),

        Fabric("checkpoint", "intervalTicks", ParameterKind.Integer, 1, 1_000_000, Checkpointer,
            "Ticks between snapshots of each router.",
            m => Int(m.Checkpoint.IntervalTicks), (m, v) => m with { Checkpoint = m.Checkpoint with { IntervalTicks = v.AsInt() } }),
        Fabric("checkpoint", "snapshotsRetained", ParameterKind.Integer, 1, 1_000, Checkpointer,
            "Snapshots kept per router; the journal is trimmed below the oldest kept.",
            m => Int(m.Checkpoint.SnapshotsRetained), (m, v) => m with { Checkpoint = m.Checkpoint with { SnapshotsRetained = v.AsInt() } }),

        Fabric("jobs", "retentionHours", ParameterKind.Integer, 1, 87_600, Routers,
            "Hours a finished job stays findable (outcome, timeline) and its id stays taken, so a resubmission runs nothing.",
            m => Int(m.Jobs.RetentionHours), (m, v) => m with { Jobs = m.Jobs with { RetentionHours = v.AsInt() } }),

        Fabric("execution", "timeScale", ParameterKind.Number, 0, 1_000, NodeAgents,
            "Multiplier on template durations when agents simulate work (0 = instant).",
            m => Num(m.Execution.TimeScale), (m, v) => m with { Execution = m.Execution with { TimeScale = v.AsDouble() } }),

        Shard("spilloverThreshold", ParameterKind.Integer, 0, 10_000_000, Routers,
            "Backlog difference to an ally above which this shard spills work to it.",
            s => Int(s.SpilloverThreshold), (s, v) => s with { SpilloverThreshold = v.AsInt() }),
        Shard("maxQueueDepth", ParameterKind.Integer, 1, 10_000_000, Routers,
            "Most queued jobs; submissions and transfers beyond it are refused.",
            s => Int(s.MaxQueueDepth), (s, v) => s with { MaxQueueDepth = v.AsInt() }),
        Shard("paused", ParameterKind.Boolean, 0, 1, Routers,
            "Stops assignment and spillover on this shard; queued work stays.",
            s => Bool(s.Paused), (s, v) => s with { Paused = v.AsBool() }),
        Shard("spilloverTargets", ParameterKind.ShardList, 0, 64, Routers,
            "Allied shards this shard may spill or forward work to.",
            s => List(s.SpilloverTargets), (s, v) => s with { SpilloverTargets = v.AsList() }),

        Node("concurrency", ParameterKind.Integer, 1, 4_096, NodeAgents | Routers,
            "Jobs the node runs at once.",
            n => Int(n.Concurrency), (n, v) => n with { Concurrency = v.AsInt() }),
        Node("reliability", ParameterKind.Number, 0, 1, NodeAgents,
            "Probability that one attempt on this node succeeds.",
            n => Num(n.Reliability), (n, v) => n with { Reliability = v.AsDouble() }),
        Node("draining", ParameterKind.Boolean, 0, 1, Routers,
            "Drains the node: it gets no new work, its running jobs finish (withdrawn after routers.drainDeadlineTicks), then it is offline for work until set back to false.",
            n => Bool(n.Draining), (n, v) => n with { Draining = v.AsBool() }),
        Node("capabilities", ParameterKind.CapabilityList, 1, ManifestValidator.MaxCapabilities, NodeAgents | Routers,
            "What the node can run; a job needs all of its template's capabilities.",
            n => List(n.Capabilities), (n, v) => n with { Capabilities = v.AsList() }),

        Template("durationTicks", ParameterKind.Integer, 0, 1_000_000, Routers,
            "Ticks one attempt of this template takes (before the time scale).",
            t => Int(t.DurationTicks), (t, v) => t with { DurationTicks = v.AsInt() }),
        Template("weight", ParameterKind.Number, 0, 1_000_000, ParameterAppliers.Drills,
            "Relative share of this template in drill job streams.",
            t => Num(t.Weight), (t, v) => t with { Weight = v.AsDouble() }),
    ];

    /// <summary>Finds the declaration and item key for a concrete path such as <c>nodes.MARS-ARES-02.concurrency</c>.</summary>
    public static bool TryResolve(FabricManifest manifest, string path, out ParameterDeclaration? declaration, out string key, out string? problem)
    {
        declaration = null;
        key = string.Empty;
        problem = null;
        var parts = path.Split('.');
        if (parts.Length == 2)
        {
            declaration = All.FirstOrDefault(d => d.Scope == ParameterScope.Fabric && d.Section == parts[0] && d.Name == parts[1]);
        }
        else if (parts.Length == 3)
        {
            key = parts[1];
            declaration = All.FirstOrDefault(d => d.Scope != ParameterScope.Fabric && d.Section == parts[0] && d.Name == parts[2]);
            if (declaration is not null && !declaration.KeysIn(manifest).Contains(key, StringComparer.Ordinal))
            {
                problem = $"unknown {ItemNoun(declaration.Scope)} '{key}' in '{path}'";
                declaration = null;
                return false;
            }
        }

        if (declaration is null)
        {
            problem = $"unknown parameter path '{path}'";
            return false;
        }

        return true;
    }

    /// <summary>Every concrete parameter of a manifest with its canonical value, sorted by path.</summary>
    public static SortedDictionary<string, string> Flatten(FabricManifest manifest)
    {
        var values = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var declaration in All)
        {
            foreach (var (key, _, value) in declaration.OccurrencesIn(manifest))
            {
                values[declaration.PathFor(key)] = value.ToString();
            }
        }

        return values;
    }

    /// <summary>
    /// Applies a full set of published values (from <see cref="Flatten"/> of a validated manifest) to a manifest.
    /// Paths this manifest does not know are skipped; a value that does not parse is a defect and throws.
    /// </summary>
    public static FabricManifest ApplyAll(FabricManifest manifest, IReadOnlyDictionary<string, string> values)
    {
        foreach (var (path, text) in values.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            if (!TryResolve(manifest, path, out var declaration, out var key, out _))
            {
                continue;
            }

            if (!ParameterValue.TryParse(declaration!.Kind, text, out var value, out var problem))
            {
                throw new InvalidOperationException($"Published parameter {path} = '{text}' does not parse: {problem}");
            }

            manifest = declaration.Write(manifest, key, value!);
        }

        return manifest;
    }

    /// <summary>
    /// Applies a full set of values that came from outside this process (the store, the bus) and checks the result: every
    /// value parses and the manifest it gives is valid. False, with the problem, otherwise.
    /// </summary>
    public static bool TryApplyAll(FabricManifest genesis, IReadOnlyDictionary<string, string> values, out FabricManifest? manifest, out string? problem)
    {
        manifest = null;
        try
        {
            var applied = ApplyAll(genesis, values);
            var errors = ManifestValidator.Validate(applied);
            if (errors.Count > 0)
            {
                problem = $"the values make an invalid manifest: {string.Join("; ", errors.Take(3))}";
                return false;
            }

            manifest = applied;
            problem = null;
            return true;
        }
        catch (InvalidOperationException e)
        {
            problem = e.Message;
            return false;
        }
    }

    private static string ItemNoun(ParameterScope scope) => scope switch
    {
        ParameterScope.Shard => "shard",
        ParameterScope.Node => "node",
        ParameterScope.Template => "job template",
        _ => "item",
    };

    private static ParameterValue Int(long v) => new ParameterValue.IntegerValue(v);

    private static ParameterValue Num(double v) => new ParameterValue.NumberValue(v);

    private static ParameterValue Bool(bool v) => new ParameterValue.BooleanValue(v);

    private static ParameterValue List(IReadOnlyList<string> v) => new ParameterValue.ListValue(v);

    private static ParameterDeclaration Fabric(
        string section, string name, ParameterKind kind, double min, double max, ParameterAppliers appliers, string description,
        Func<FabricManifest, ParameterValue> read, Func<FabricManifest, ParameterValue, FabricManifest> write) =>
        new(ParameterScope.Fabric, section, name, kind, min, max, appliers, description, (m, _) => read(m), (m, _, v) => write(m, v));

    private static ParameterDeclaration Shard(
        string name, ParameterKind kind, double min, double max, ParameterAppliers appliers, string description,
        Func<ShardSpec, ParameterValue> read, Func<ShardSpec, ParameterValue, ShardSpec> write) =>
        new(ParameterScope.Shard, "shards", name, kind, min, max, appliers, description,
            (m, index) => read(m.Shards[index]),
            (m, key, v) => m with { Shards = m.Shards.Select(s => s.Id == key ? write(s, v) : s).ToArray() });

    private static ParameterDeclaration Node(
        string name, ParameterKind kind, double min, double max, ParameterAppliers appliers, string description,
        Func<NodeSpec, ParameterValue> read, Func<NodeSpec, ParameterValue, NodeSpec> write) =>
        new(ParameterScope.Node, "nodes", name, kind, min, max, appliers, description,
            (m, index) => read(m.Nodes[index]),
            (m, key, v) => m with { Nodes = m.Nodes.Select(n => n.Id == key ? write(n, v) : n).ToArray() });

    private static ParameterDeclaration Template(
        string name, ParameterKind kind, double min, double max, ParameterAppliers appliers, string description,
        Func<JobTemplateSpec, ParameterValue> read, Func<JobTemplateSpec, ParameterValue, JobTemplateSpec> write) =>
        new(ParameterScope.Template, "jobTemplates", name, kind, min, max, appliers, description,
            (m, index) => read(m.JobTemplates[index]),
            (m, key, v) => m with { JobTemplates = m.JobTemplates.Select(t => t.Name == key ? write(t, v) : t).ToArray() });
}
