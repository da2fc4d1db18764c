using System.Text.Json;
using System.Text.Json.Serialization;

namespace Planetary.Fabric.Journal;

/// <summary>
/// Writes a snapshot's tombstone columns exactly as the generated serialiser would (camelCase, the columns in
/// declaration order, then <c>count</c>), but with each job id taken as JSON text its tombstone encoded once: in a
/// drill most tombstones appear in dozens of snapshots, and encoding every id again was most of a checkpoint's cost.
/// Reads the same shape back (<c>count</c> is derived, so it is skipped).
/// </summary>
internal sealed class TombstoneColumnsJsonConverter : JsonConverter<TombstoneColumns>
{
    private static readonly JsonEncodedText JobIdsName = JsonEncodedText.Encode("jobIds");
    private static readonly JsonEncodedText KindsName = JsonEncodedText.Encode("kinds");
    private static readonly JsonEncodedText TickDeltasName = JsonEncodedText.Encode("tickDeltas");
    private static readonly JsonEncodedText HopsName = JsonEncodedText.Encode("hops");
    private static readonly JsonEncodedText MovedToName = JsonEncodedText.Encode("movedTo");
    private static readonly JsonEncodedText CountName = JsonEncodedText.Encode("count");

    public override void Write(Utf8JsonWriter writer, TombstoneColumns value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        writer.WriteStartArray(JobIdsName);
        if (value.JsonJobIds is { } json)
        {
            foreach (var id in json)
            {
                writer.WriteStringValue(id);
            }
        }
        else
        {
            foreach (var id in value.JobIds)
            {
                writer.WriteStringValue(id);
            }
        }

        writer.WriteEndArray();
        writer.WriteString(KindsName, value.Kinds);
        writer.WriteStartArray(TickDeltasName);
        foreach (var delta in value.TickDeltas)
        {
            writer.WriteNumberValue(delta);
        }

        writer.WriteEndArray();
        writer.WriteStartArray(HopsName);
        foreach (var hops in value.Hops)
        {
            writer.WriteNumberValue(hops);
        }

        writer.WriteEndArray();
        writer.WriteStartArray(MovedToName);
        foreach (var ally in value.MovedTo)
        {
            writer.WriteStringValue(ally);
        }

        writer.WriteEndArray();
        writer.WriteNumber(CountName, value.Count);
        writer.WriteEndObject();
    }

    public override TombstoneColumns Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        Expect(ref reader, JsonTokenType.StartObject, "the tombstone columns");
        string[]? jobIds = null, movedTo = null;
        string? kinds = null;
        long[]? tickDeltas = null;
        int[]? hops = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.GetString();
            reader.Read();
            switch (name)
            {
                case "jobIds":
                    jobIds = ReadArray(ref reader, name, static (ref Utf8JsonReader r) => r.GetString() ?? throw Bad("a null job id"));
                    break;
                case "kinds":
                    kinds = reader.GetString();
                    break;
                case "tickDeltas":
                    tickDeltas = ReadArray(ref reader, name, static (ref Utf8JsonReader r) => r.GetInt64());
                    break;
                case "hops":
                    hops = ReadArray(ref reader, name, static (ref Utf8JsonReader r) => r.GetInt32());
                    break;
                case "movedTo":
                    movedTo = ReadArray(ref reader, name, static (ref Utf8JsonReader r) => r.GetString() ?? throw Bad("a null ally"));
                    break;
                default:
                    reader.Skip(); // "count", derived from the columns
                    break;
            }
        }

        if (reader.TokenType != JsonTokenType.EndObject)
        {
            throw Bad($"{reader.TokenType} where a column name or the end of the columns belongs");
        }

        return new TombstoneColumns(
            jobIds ?? throw Bad("no jobIds column"),
            kinds ?? throw Bad("no kinds column"),
            tickDeltas ?? throw Bad("no tickDeltas column"),
            hops ?? throw Bad("no hops column"),
            movedTo ?? []);
    }

    private delegate T ReadValue<T>(ref Utf8JsonReader reader);

    private static T[] ReadArray<T>(ref Utf8JsonReader reader, string name, ReadValue<T> read)
    {
        Expect(ref reader, JsonTokenType.StartArray, $"the {name} column");
        var values = new List<T>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            values.Add(read(ref reader));
        }

        return values.ToArray();
    }

    private static void Expect(ref Utf8JsonReader reader, JsonTokenType type, string what)
    {
        if (reader.TokenType != type)
        {
            throw Bad($"{what} should start with {type}, not {reader.TokenType}");
        }
    }

    private static JsonException Bad(string what) => new($"Snapshot tombstone columns: {what}.");
}
