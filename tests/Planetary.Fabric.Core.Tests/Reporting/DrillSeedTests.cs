using Planetary.Fabric.Drills;

namespace Planetary.Fabric.Tests;

public sealed class DrillSeedTests
{
    [Theory]
    [InlineData("42", 42UL)]
    [InlineData(" 7 ", 7UL)]
    [InlineData("18446744073709551615", ulong.MaxValue)]
    public void A_whole_number_is_the_seed_itself(string given, ulong expected)
    {
        Assert.True(DrillSeed.TryParse(given, out var seed, out var text, out _));
        Assert.Equal(expected, seed);
        Assert.Null(text);
    }

    [Fact]
    public void A_text_seed_is_its_fixed_hash_and_is_reported_as_given()
    {
        Assert.True(DrillSeed.TryParse("planetary-fabric", out var seed, out var text, out _));
        Assert.Equal("planetary-fabric", text);
        Assert.Equal(0xbff317d8037dd8c7UL, seed); // FNV-1a 64 of the UTF-8 bytes: changing it would change every text-seeded drill
        Assert.True(DrillSeed.TryParse("planetary-fabric!", out var other, out _, out _));
        Assert.NotEqual(seed, other);
        Assert.Equal("planetary-fabric", DrillSeed.Describe(seed, text));
        Assert.Equal("42", DrillSeed.Describe(42, null));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData(null)]
    public void An_empty_seed_is_refused_with_the_reason(string? given)
    {
        Assert.False(DrillSeed.TryParse(given, out _, out _, out var problem));
        Assert.Contains("empty", problem);
    }

    [Fact]
    public void A_seed_longer_than_the_limit_is_refused()
    {
        Assert.False(DrillSeed.TryParse(new string('x', DrillSeed.MaxTextLength + 1), out _, out _, out var problem));
        Assert.Contains("at most", problem);
    }
}
