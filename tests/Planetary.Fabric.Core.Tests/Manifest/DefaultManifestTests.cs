using Planetary.Fabric.Manifest;

namespace Planetary.Fabric.Tests.Manifest;

/// <summary>The default manifest (config/fabric.json) is the demo's fabric, minus the demo's dead ends.</summary>
public class DefaultManifestTests
{
    private static readonly FabricManifest Default = ManifestLoader.LoadDefault();

    [Fact]
    public void EmbeddedDefault_LoadsWithNoErrors()
    {
        var (manifest, errors) = ManifestLoader.Load(ManifestJson.DefaultText);

        Assert.True(errors.Count == 0, "the default manifest is invalid:\n  " + string.Join("\n  ", errors));
        Assert.NotNull(manifest);
        Assert.Equal("Planetary Orchestrator Fabric", manifest.Name);
    }

    [Fact]
    public void EmbeddedDefault_HasTheFourDemoShardsInOrder()
    {
        Assert.Equal(["earth", "luna", "mars", "edge"], Default.Shards.Select(s => s.Id));
        Assert.All(Default.Shards, s => Assert.False(s.Paused));
        Assert.False(Default.Fabric.Paused);
    }

    [Fact]
    public void EmbeddedDefault_HasTheSixDemoNodesOnTheirShards()
    {
        var expected = new Dictionary<string, string>
        {
            ["EARTH-TITAN-01"] = "earth",
            ["EARTH-ATHENA-02"] = "earth",
            ["LUNA-HYPERION-01"] = "luna",
            ["MARS-ARES-01"] = "mars",
            ["MARS-ARES-02"] = "mars",
            ["EDGE-HELIOS-PRIME"] = "edge",
        };

        Assert.Equal(expected, Default.Nodes.ToDictionary(n => n.Id, n => n.Shard));
    }

    [Fact]
    public void EmbeddedDefault_HasTheDemoSpilloverLinks()
    {
        var expected = new Dictionary<string, string[]>
        {
            ["earth"] = ["luna", "mars"],
            ["luna"] = ["earth", "mars"],
            ["mars"] = ["earth", "edge"],
            ["edge"] = ["earth", "mars"],
        };

        Assert.Equal(expected, Default.Shards.ToDictionary(s => s.Id, s => s.SpilloverTargets.ToArray()));
    }

    [Fact]
    public void EveryTemplate_CanRunOnAtLeastOneNode()
    {
        var index = new CapabilityIndex(Default.Capabilities);
        var unrunnable = Default.JobTemplates
            .Where(t => !Default.Nodes.Any(n => CapabilityIndex.CanRun(index.MaskOf(n.Capabilities), index.MaskOf(t.Capabilities))))
            .Select(t => t.Name)
            .ToList();

        Assert.True(unrunnable.Count == 0, "templates no node can run: " + string.Join(", ", unrunnable));
    }

    [Fact]
    public void EveryNode_CanRunAtLeastOneTemplate()
    {
        // The original demo left two nodes idle forever because no job ever matched them.
        var index = new CapabilityIndex(Default.Capabilities);
        var idle = Default.Nodes
            .Where(n => !Default.JobTemplates.Any(t => CapabilityIndex.CanRun(index.MaskOf(n.Capabilities), index.MaskOf(t.Capabilities))))
            .Select(n => n.Id)
            .ToList();

        Assert.True(idle.Count == 0, "nodes that can run no template: " + string.Join(", ", idle));
    }

    [Fact]
    public void EveryShard_CanRunAtLeastOneTemplateLocally()
    {
        var index = new CapabilityIndex(Default.Capabilities);
        var withoutLocalWork = Default.Shards
            .Where(s => !Default.JobTemplates.Any(t =>
                Default.NodesOf(s.Id).Any(n => CapabilityIndex.CanRun(index.MaskOf(n.Capabilities), index.MaskOf(t.Capabilities)))))
            .Select(s => s.Id)
            .ToList();

        Assert.True(withoutLocalWork.Count == 0, "shards that can run no template locally: " + string.Join(", ", withoutLocalWork));
    }

    [Fact]
    public void EveryDeclaredCapability_IsUsedByANodeAndATemplate()
    {
        var unused = Default.Capabilities
            .Where(c => !Default.Nodes.Any(n => n.Capabilities.Contains(c)) || !Default.JobTemplates.Any(t => t.Capabilities.Contains(c)))
            .ToList();

        Assert.True(unused.Count == 0, "capabilities no node has or no template needs: " + string.Join(", ", unused));
    }

    [Fact]
    public void LoadOrThrow_OfTheDefaultText_EqualsLoadDefault()
    {
        var manifest = ManifestLoader.LoadOrThrow(ManifestJson.DefaultText);

        Assert.Equal(Planetary.Fabric.Parameters.ParameterCatalog.Flatten(Default), Planetary.Fabric.Parameters.ParameterCatalog.Flatten(manifest));
    }
}
