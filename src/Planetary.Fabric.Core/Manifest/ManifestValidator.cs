using System.Text.RegularExpressions;
using Planetary.Fabric.Parameters;

namespace Planetary.Fabric.Manifest;

/// <summary>
/// The semantic rules of a manifest: unique, well-formed ids; references that exist; every template runnable by
/// some node; every parameter within the range its <see cref="ParameterCatalog"/> declaration gives; and the
/// cross-field rules. Used at load and for every owner change.
/// </summary>
public static partial class ManifestValidator
{
    /// <summary>
    /// At most 63 capabilities: bit 63 of a <see cref="CapabilityIndex"/> mask is <see cref="CapabilityIndex.Unsatisfiable"/>,
    /// which no node may ever have.
    /// </summary>
    public const int MaxCapabilities = 63;

    public static IReadOnlyList<ManifestError> Validate(FabricManifest m)
    {
        var errors = new List<ManifestError>();
        void Error(string path, string message) => errors.Add(new ManifestError(path, message));

        if (string.IsNullOrWhiteSpace(m.Name))
        {
            Error("$.name", "must not be empty");
        }

        CheckIds(m.Capabilities, c => c, "$.capabilities", "", "capability", errors);
        if (m.Capabilities.Count > MaxCapabilities)
        {
            Error("$.capabilities", $"at most {MaxCapabilities} capabilities are supported, got {m.Capabilities.Count}");
        }

        var capabilities = m.Capabilities.ToHashSet(StringComparer.Ordinal);
        var shardIds = m.Shards.Select(s => s.Id).ToHashSet(StringComparer.Ordinal);

        if (m.Shards.Count == 0)
        {
            Error("$.shards", "at least one shard is required");
        }

        if (m.Nodes.Count == 0)
        {
            Error("$.nodes", "at least one node is required");
        }

        if (m.JobTemplates.Count == 0)
        {
            Error("$.jobTemplates", "at least one job template is required");
        }

        CheckIds(m.Shards, s => s.Id, "$.shards", ".id", "shard id", errors);
        CheckIds(m.Nodes, n => n.Id, "$.nodes", ".id", "node id", errors);
        CheckIds(m.JobTemplates, t => t.Name, "$.jobTemplates", ".name", "template name", errors);

        for (var i = 0; i < m.Shards.Count; i++)
        {
            var shard = m.Shards[i];
            if (string.IsNullOrWhiteSpace(shard.Label))
            {
                Error($"$.shards[{i}].label", "must not be empty");
            }

            var targets = new HashSet<string>(StringComparer.Ordinal);
            for (var j = 0; j < shard.SpilloverTargets.Count; j++)
            {
                var target = shard.SpilloverTargets[j];
                if (!targets.Add(target))
                {
                    Error($"$.shards[{i}].spilloverTargets[{j}]", $"shard '{target}' is listed twice");
                }
                else if (target == shard.Id)
                {
                    Error($"$.shards[{i}].spilloverTargets[{j}]", $"shard '{shard.Id}' cannot spill over to itself");
                }
                else if (!shardIds.Contains(target))
                {
                    Error($"$.shards[{i}].spilloverTargets[{j}]", $"unknown shard '{target}'");
                }
            }
        }

        for (var i = 0; i < m.Nodes.Count; i++)
        {
            var node = m.Nodes[i];
            if (!shardIds.Contains(node.Shard))
            {
                Error($"$.nodes[{i}].shard", $"unknown shard '{node.Shard}'");
            }

            CheckCapabilityRefs(node.Capabilities, capabilities, $"$.nodes[{i}].capabilities", errors);
        }

        for (var i = 0; i < m.JobTemplates.Count; i++)
        {
            var template = m.JobTemplates[i];
            var allKnown = CheckCapabilityRefs(template.Capabilities, capabilities, $"$.jobTemplates[{i}].capabilities", errors);
            if (template.Capabilities.Count == 0)
            {
                Error($"$.jobTemplates[{i}].capabilities", "must name at least one capability");
            }
            else if (allKnown && !m.Nodes.Any(n => template.Capabilities.All(c => n.Capabilities.Contains(c, StringComparer.Ordinal))))
            {
                Error($"$.jobTemplates[{i}]", $"no node can run template '{template.Name}': none has all of [{string.Join(", ", template.Capabilities)}]");
            }
        }

        // Ranges, declared once in the parameter catalog. Read by position, so duplicate ids cannot confuse it.
        foreach (var declaration in ParameterCatalog.All)
        {
            foreach (var (_, path, value) in declaration.OccurrencesIn(m))
            {
                // Repeated list items are reported above with item-level paths; only the length is checked here.
                var problem = value is ParameterValue.ListValue list ? declaration.CountProblem(list) : declaration.RangeProblem(value);
                if (problem is not null)
                {
                    Error(path, problem);
                }
            }
        }

        // Cross-field rules.
        var r = m.Routers;
        if (r.HeartbeatGraceTicks <= r.HeartbeatIntervalTicks)
        {
            Error("$.routers.heartbeatGraceTicks",
                $"must be greater than heartbeatIntervalTicks ({r.HeartbeatIntervalTicks}), else a healthy node is declared offline between heartbeats");
        }

        var longest = m.JobTemplates.Count == 0 ? 0 : m.JobTemplates.Max(t => Math.Ceiling(t.DurationTicks * m.Execution.TimeScale));
        if (r.JobTimeoutTicks <= longest)
        {
            Error("$.routers.jobTimeoutTicks", $"must be greater than the longest scaled template duration ({longest} ticks), else every attempt of it times out");
        }

        var transferWindow = 4L * r.TransferTimeoutTicks;
        if (r.DedupeRetentionTicks <= transferWindow)
        {
            Error("$.routers.dedupeRetentionTicks",
                $"must be greater than 4 × transferTimeoutTicks ({transferWindow}), else a resent transfer could outlive the memory that deduplicates it");
        }

        if (m.JobTemplates.Count > 0 && m.JobTemplates.Sum(t => t.Weight) <= 0)
        {
            Error("$.jobTemplates", "at least one template needs a weight above 0");
        }

        return errors;
    }

    private static void CheckIds<T>(IReadOnlyList<T> items, Func<T, string> id, string listPath, string suffix, string noun, List<ManifestError> errors)
    {
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < items.Count; i++)
        {
            var value = id(items[i]);
            var path = $"{listPath}[{i}]{suffix}";
            if (!IdPattern().IsMatch(value))
            {
                errors.Add(new ManifestError(path, $"'{value}' is not a valid {noun}: use 1-64 letters, digits, '-' or '_', starting with a letter or digit"));
            }
            else if (seen.TryGetValue(value, out var first))
            {
                errors.Add(new ManifestError(path, $"duplicate {noun} '{value}' (first at {listPath}[{first}]{suffix})"));
            }
            else
            {
                seen[value] = i;
            }
        }
    }

    /// <summary>Reports unknown and repeated capability names; false when some name is unknown.</summary>
    private static bool CheckCapabilityRefs(IReadOnlyList<string> refs, HashSet<string> known, string path, List<ManifestError> errors)
    {
        var allKnown = true;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var j = 0; j < refs.Count; j++)
        {
            if (!known.Contains(refs[j]))
            {
                errors.Add(new ManifestError($"{path}[{j}]", $"unknown capability '{refs[j]}'"));
                allKnown = false;
            }
            else if (!seen.Add(refs[j]))
            {
                errors.Add(new ManifestError($"{path}[{j}]", $"capability '{refs[j]}' is listed twice"));
            }
        }

        return allKnown;
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")]
    private static partial Regex IdPattern();
}
