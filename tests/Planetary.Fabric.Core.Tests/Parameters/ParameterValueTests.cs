using System.Text.Json;
using Planetary.Fabric.Parameters;

namespace Planetary.Fabric.Tests.Parameters;

public class ParameterValueTests
{
    private static (bool Ok, ParameterValue? Value, string? Problem) FromJson(ParameterKind kind, string json)
    {
        using var document = JsonDocument.Parse(json);
        var ok = ParameterValue.TryFromJson(kind, document.RootElement, out var value, out var problem);
        return (ok, value, problem);
    }

    [Theory]
    [InlineData(ParameterKind.Integer, "64", "64")]
    [InlineData(ParameterKind.Integer, " -3 ", "-3")]
    [InlineData(ParameterKind.Integer, "+7", "7")]
    [InlineData(ParameterKind.Integer, "9000000000", "9000000000")]
    [InlineData(ParameterKind.Number, "0.98", "0.98")]
    [InlineData(ParameterKind.Number, "1e-3", "0.001")]
    [InlineData(ParameterKind.Number, "2", "2")]
    [InlineData(ParameterKind.Number, "-0.5", "-0.5")]
    [InlineData(ParameterKind.Boolean, "true", "true")]
    [InlineData(ParameterKind.Boolean, "False", "false")]
    [InlineData(ParameterKind.ShardList, "earth,mars", "earth,mars")]
    [InlineData(ParameterKind.ShardList, " earth ,  mars ", "earth,mars")]
    [InlineData(ParameterKind.ShardList, "", "")]
    [InlineData(ParameterKind.ShardList, "[]", "")]
    [InlineData(ParameterKind.CapabilityList, "[\"research\", \"gpu-acceleration\"]", "research,gpu-acceleration")]
    public void TryParse_AcceptsOwnerTextAndGivesTheCanonicalForm(ParameterKind kind, string text, string canonical)
    {
        Assert.True(ParameterValue.TryParse(kind, text, out var value, out var problem), problem);

        Assert.Equal(canonical, value!.ToString());
    }

    [Theory]
    [InlineData(ParameterKind.Integer, "abc", "expected an integer, got 'abc'")]
    [InlineData(ParameterKind.Integer, "1.5", "expected an integer, got '1.5'")]
    [InlineData(ParameterKind.Integer, "1e3", "expected an integer")]
    [InlineData(ParameterKind.Integer, "0x10", "expected an integer")]
    [InlineData(ParameterKind.Integer, "99999999999999999999", "expected an integer")]
    [InlineData(ParameterKind.Number, "NaN", "expected a number, got 'NaN'")]
    [InlineData(ParameterKind.Number, "-Infinity", "expected a number")]
    [InlineData(ParameterKind.Number, "1e400", "expected a number")]
    [InlineData(ParameterKind.Number, "0,5", "expected a number")]
    [InlineData(ParameterKind.Boolean, "yes", "expected true or false, got 'yes'")]
    [InlineData(ParameterKind.Boolean, "1", "expected true or false")]
    [InlineData(ParameterKind.ShardList, "earth,", "a list item is empty")]
    [InlineData(ParameterKind.ShardList, "[\"earth\"", "expected a JSON list of strings")]
    [InlineData(ParameterKind.ShardList, "[1, 2]", "found a number in it")]
    [InlineData(ParameterKind.CapabilityList, "[[\"research\"]]", "found an array in it")]
    public void TryParse_RefusesWhatIsNotOfTheKind(ParameterKind kind, string text, string problem)
    {
        Assert.False(ParameterValue.TryParse(kind, text, out var value, out var actual));

        Assert.Null(value);
        Assert.Contains(problem, actual);
    }

    [Fact]
    public void TryParse_OfALongValue_ClipsItInTheProblem()
    {
        Assert.False(ParameterValue.TryParse(ParameterKind.Integer, new string('9', 30) + new string('x', 200), out _, out var problem));

        Assert.True(problem!.Length < 80, problem);
    }

    [Theory]
    [InlineData(ParameterKind.Integer)]
    [InlineData(ParameterKind.Number)]
    [InlineData(ParameterKind.Boolean)]
    [InlineData(ParameterKind.ShardList)]
    public void TryParse_OfNull_SaysAValueIsRequired(ParameterKind kind)
    {
        Assert.False(ParameterValue.TryParse(kind, null, out _, out var problem));

        Assert.Equal("a value is required", problem);
    }

    [Theory]
    [InlineData(ParameterKind.Integer, "64", "64")]
    [InlineData(ParameterKind.Integer, "\"64\"", "64")]
    [InlineData(ParameterKind.Integer, "-5", "-5")]
    [InlineData(ParameterKind.Number, "0.5", "0.5")]
    [InlineData(ParameterKind.Number, "3", "3")]
    [InlineData(ParameterKind.Number, "\"0.5\"", "0.5")]
    [InlineData(ParameterKind.Boolean, "true", "true")]
    [InlineData(ParameterKind.Boolean, "false", "false")]
    [InlineData(ParameterKind.Boolean, "\"true\"", "true")]
    [InlineData(ParameterKind.ShardList, "[\"earth\", \"luna\"]", "earth,luna")]
    [InlineData(ParameterKind.ShardList, "[]", "")]
    [InlineData(ParameterKind.ShardList, "\"earth,luna\"", "earth,luna")]
    [InlineData(ParameterKind.CapabilityList, "[\"research\"]", "research")]
    public void TryFromJson_AcceptsTheNaturalJsonAndOwnerTextInAString(ParameterKind kind, string json, string canonical)
    {
        var (ok, value, problem) = FromJson(kind, json);

        Assert.True(ok, problem);
        Assert.Equal(canonical, value!.ToString());
    }

    [Theory]
    [InlineData(ParameterKind.Integer, "1.5", "expected an integer, got '1.5'")]
    [InlineData(ParameterKind.Integer, "\"abc\"", "expected an integer, got 'abc'")]
    [InlineData(ParameterKind.Integer, "true", "expected an integer, got a JSON true")]
    [InlineData(ParameterKind.Integer, "null", "expected an integer, got a JSON null")]
    [InlineData(ParameterKind.Integer, "{}", "expected an integer, got a JSON object")]
    [InlineData(ParameterKind.Number, "{\"value\": 1}", "expected a number, got a JSON object")]
    [InlineData(ParameterKind.Number, "[0.5]", "expected a number, got a JSON array")]
    [InlineData(ParameterKind.Number, "null", "expected a number, got a JSON null")]
    [InlineData(ParameterKind.Boolean, "1", "expected true or false, got a JSON number")]
    [InlineData(ParameterKind.Boolean, "null", "expected true or false, got a JSON null")]
    [InlineData(ParameterKind.Boolean, "\"on\"", "expected true or false, got 'on'")]
    [InlineData(ParameterKind.ShardList, "null", "expected a list of shard ids, got a JSON null")]
    [InlineData(ParameterKind.ShardList, "{\"earth\": 1}", "expected a list of shard ids, got a JSON object")]
    [InlineData(ParameterKind.ShardList, "[\"earth\", 1]", "expected a list of strings, found a number in it")]
    [InlineData(ParameterKind.CapabilityList, "true", "expected a list of capability names, got a JSON true")]
    [InlineData(ParameterKind.CapabilityList, "[\"research\", {}]", "found an object in it")]
    public void TryFromJson_RefusesOtherJsonWithWhatItGot(ParameterKind kind, string json, string problem)
    {
        var (ok, value, actual) = FromJson(kind, json);

        Assert.False(ok);
        Assert.Null(value);
        Assert.Contains(problem, actual);
    }

    [Fact]
    public void TryFromJson_OfAnUndefinedElement_IsRefused()
    {
        Assert.False(ParameterValue.TryFromJson(ParameterKind.Integer, default, out var value, out var problem));

        Assert.Null(value);
        Assert.Contains("expected an integer", problem);
    }

    [Theory]
    [InlineData(0.1 + 0.2)]
    [InlineData(0.995)]
    [InlineData(1e-7)]
    [InlineData(123456.789)]
    public void NumberCanonicalText_RoundTripsExactly(double number)
    {
        var text = new ParameterValue.NumberValue(number).ToString();

        Assert.True(ParameterValue.TryParse(ParameterKind.Number, text, out var parsed, out _));
        Assert.Equal(number, parsed!.AsDouble());
    }

    [Fact]
    public void ListValues_AreEqualByTheirItems()
    {
        var a = new ParameterValue.ListValue(["earth", "luna"]);
        var b = new ParameterValue.ListValue(new List<string> { "earth", "luna" });
        var c = new ParameterValue.ListValue(["luna", "earth"]);

        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.NotEqual(a, c);
    }

    [Fact]
    public void ToJson_GivesAJsonLiteral()
    {
        Assert.Equal("[\"earth\",\"luna\"]", new ParameterValue.ListValue(["earth", "luna"]).ToJson());
        Assert.Equal("64", new ParameterValue.IntegerValue(64).ToJson());
        Assert.Equal("0.5", new ParameterValue.NumberValue(0.5).ToJson());
        Assert.Equal("true", new ParameterValue.BooleanValue(true).ToJson());
    }

    [Fact]
    public void AsDouble_OfAnInteger_Widens()
    {
        Assert.Equal(3.0, new ParameterValue.IntegerValue(3).AsDouble());
    }
}
