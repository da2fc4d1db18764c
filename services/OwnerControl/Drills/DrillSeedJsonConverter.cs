using System.Text.Json;
using System.Text.Json.Serialization;

namespace Planetary.OwnerControl.Drills;

/// <summary>A drill seed in a request body: a JSON number (<c>42</c>) or a string (<c>"planetary-fabric"</c>), kept as its text.</summary>
public sealed class DrillSeedJsonConverter : JsonConverter<string?>
{
    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.TokenType switch
    {
        JsonTokenType.String => reader.GetString(),
        JsonTokenType.Number when reader.TryGetUInt64(out var number) => number.ToString(System.Globalization.CultureInfo.InvariantCulture),
        JsonTokenType.Null => null,
        _ => throw new JsonException(Problem),
    };

    /// <summary>What the problem response says (after the field's path) when the seed is neither.</summary>
    public const string Problem = "must be a non-negative integer (42) or a text (\"planetary-fabric\")";

    public override void Write(Utf8JsonWriter writer, string? value, JsonSerializerOptions options)
    {
        if (value is null)
        {
            writer.WriteNullValue();
        }
        else
        {
            writer.WriteStringValue(value);
        }
    }
}
