using Planetary.Contracts;
using Planetary.Fabric.Determinism;
using Planetary.Fabric.Manifest;

namespace Planetary.Fabric.Drills;

/// <summary>
/// The seeded job generator of a drill: for each shard, a sequence of jobs whose templates are drawn by weight
/// from the templates that shard can run itself (so every job a drill submits has a home). Same seed, same jobs.
/// </summary>
public sealed class JobStream
{
    private readonly SeededRandom _random;
    private readonly JobTemplateSpec[] _templates;
    private readonly double[] _cumulative;
    private readonly string _prefix;
    private int _next;

    public JobStream(FabricManifest manifest, string shardId, ulong seed, string runId)
    {
        ShardId = shardId;
        _prefix = $"{runId}-{shardId}-";
        _random = SeededRandom.For(seed, $"jobs:{shardId}");
        var capabilities = new CapabilityIndex(manifest.Capabilities);
        var nodeMasks = manifest.NodesOf(shardId).Select(n => capabilities.MaskOf(n.Capabilities)).ToArray();
        _templates = manifest.JobTemplates
            .Where(t => t.Weight > 0 && nodeMasks.Any(m => CapabilityIndex.CanRun(m, capabilities.MaskOf(t.Capabilities))))
            .ToArray();
        if (_templates.Length == 0)
        {
            throw new InvalidOperationException($"Shard '{shardId}' can run no weighted template: a drill cannot feed it.");
        }

        _cumulative = new double[_templates.Length];
        var sum = 0.0;
        for (var i = 0; i < _templates.Length; i++)
        {
            sum += _templates[i].Weight;
            _cumulative[i] = sum;
        }
    }

    public string ShardId { get; }

    public int Generated => _next;

    public IReadOnlyList<JobTemplateSpec> Templates => _templates;

    public JobSubmission Next(long submittedAtMs)
    {
        var draw = _random.NextDouble() * _cumulative[^1];
        var index = Array.FindIndex(_cumulative, c => draw < c);
        var template = _templates[index < 0 ? ^1 : index];
        return new JobSubmission($"{_prefix}{++_next:D6}", template.Name, submittedAtMs);
    }
}
