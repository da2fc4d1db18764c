using Planetary.Fabric.Manifest;

namespace Planetary.Fabric.Tests.Manifest;

public class CapabilityIndexTests
{
    private static readonly string[] Names = ["governance", "sovereign-finance", "logistics", "research", "validation", "terraforming", "gpu-acceleration"];

    private readonly CapabilityIndex _index = new(Names);

    [Fact]
    public void EveryCapability_GetsItsOwnBit()
    {
        var masks = Names.Select(n => _index.MaskOf([n])).ToArray();

        Assert.All(masks, m => Assert.Equal(1, System.Numerics.BitOperations.PopCount(m)));
        Assert.Equal(Names.Length, masks.Distinct().Count());
    }

    [Theory]
    [InlineData("")]
    [InlineData("research")]
    [InlineData("governance,sovereign-finance")]
    [InlineData("gpu-acceleration,research,logistics")]
    [InlineData("governance,sovereign-finance,logistics,research,validation,terraforming,gpu-acceleration")]
    public void MaskOf_ThenNamesOf_RoundTripsInDeclarationOrder(string list)
    {
        var names = list.Split(',', StringSplitOptions.RemoveEmptyEntries);

        var roundTripped = _index.NamesOf(_index.MaskOf(names));

        Assert.Equal(Names.Where(names.Contains), roundTripped);
    }

    [Fact]
    public void MaskOf_IgnoresOrderAndRepetition()
    {
        Assert.Equal(_index.MaskOf(["research", "gpu-acceleration"]), _index.MaskOf(["gpu-acceleration", "research", "research"]));
    }

    [Theory]
    [InlineData(new[] { "governance", "sovereign-finance", "logistics" }, new[] { "governance", "sovereign-finance" }, true)]
    [InlineData(new[] { "governance", "sovereign-finance" }, new[] { "governance", "sovereign-finance" }, true)]
    [InlineData(new[] { "governance" }, new[] { "governance", "sovereign-finance" }, false)]
    [InlineData(new[] { "research", "gpu-acceleration" }, new[] { "terraforming" }, false)]
    [InlineData(new string[0], new[] { "research" }, false)]
    [InlineData(new[] { "research" }, new string[0], true)]
    public void CanRun_WhenTheNodeHasAllOfTheJobsCapabilities(string[] node, string[] job, bool expected)
    {
        Assert.Equal(expected, CapabilityIndex.CanRun(_index.MaskOf(node), _index.MaskOf(job)));
    }

    [Fact]
    public void UnknownCapability_MakesTheJobUnsatisfiableEvenForANodeWithEverything()
    {
        var everything = _index.MaskOf(Names);
        var job = _index.MaskOf(["research", "quantum"]);

        Assert.NotEqual(0UL, job & CapabilityIndex.Unsatisfiable);
        Assert.False(CapabilityIndex.CanRun(everything, job));
        Assert.Equal(["research"], _index.NamesOf(job));
    }

    [Fact]
    public void NamesAreCaseSensitive()
    {
        Assert.False(CapabilityIndex.CanRun(_index.MaskOf(Names), _index.MaskOf(["Research"])));
    }

    [Fact]
    public void MaximumCapabilities_NeverCollideWithTheUnsatisfiableBit()
    {
        var names = Enumerable.Range(0, ManifestValidator.MaxCapabilities).Select(i => $"cap-{i}").ToArray();
        var index = new CapabilityIndex(names);
        var everything = index.MaskOf(names);

        Assert.Equal(0UL, everything & CapabilityIndex.Unsatisfiable);
        Assert.False(CapabilityIndex.CanRun(everything, index.MaskOf(["not-declared"])));
        Assert.Equal(names, index.NamesOf(everything));
    }

    [Fact]
    public void MoreThanTheMaximumCapabilities_IsRefused()
    {
        var names = Enumerable.Range(0, ManifestValidator.MaxCapabilities + 1).Select(i => $"cap-{i}").ToArray();

        var exception = Assert.Throws<ArgumentException>(() => new CapabilityIndex(names));
        Assert.Contains("63", exception.Message);
    }
}
