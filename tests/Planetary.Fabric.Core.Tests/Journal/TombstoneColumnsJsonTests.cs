using System.Text.Json;
using Planetary.Fabric.Journal;
using Planetary.Fabric.Manifest;
using Planetary.Fabric.Routing;

namespace Planetary.Fabric.Tests.Journal;

/// <summary>
/// The tombstone columns' own JSON writer keeps the shape snapshots already stored in Redis have (the one the generated
/// serialiser wrote, <c>count</c> included), whether the ids come encoded from a book or as plain strings.
/// </summary>
public sealed class TombstoneColumnsJsonTests
{
    /// <summary>Written by the generated serialiser before the columns had a writer of their own.</summary>
    private const string StoredShape = """{"jobIds":["a\u0022b","c"],"kinds":"CM","tickDeltas":[5,1],"hops":[0,2],"movedTo":["luna"],"count":2}""";

    private static readonly JsonSerializerOptions Options = FabricJson.Options;

    [Fact]
    public void Columns_built_by_hand_are_written_in_the_stored_shape()
    {
        var columns = new TombstoneColumns(["a\"b", "c"], "CM", [5, 1], [0, 2], ["luna"]);

        Assert.Equal(StoredShape, JsonSerializer.Serialize(columns, FabricJson.TypeInfo<TombstoneColumns>()));
    }

    [Fact]
    public void Columns_captured_from_a_book_write_their_encoded_ids_the_same_way()
    {
        var state = new RouterState("earth", ManifestLoader.LoadDefault());
        new TombstoneColumns(["a\"b", "c"], "CM", [5, 1], [0, 2], ["luna"]).RestoreInto(state); // into the state's book

        var captured = TombstoneColumns.Capture(state);

        Assert.Equal(StoredShape, JsonSerializer.Serialize(captured, FabricJson.TypeInfo<TombstoneColumns>()));
        var replaced = captured with { JobIds = ["x", "y"] }; // the encoded ids belong to the old ids: not used
        Assert.Contains("\"jobIds\":[\"x\",\"y\"]", JsonSerializer.Serialize(replaced, FabricJson.TypeInfo<TombstoneColumns>()));
    }

    [Fact]
    public void The_stored_shape_reads_back()
    {
        var read = JsonSerializer.Deserialize(StoredShape, FabricJson.TypeInfo<TombstoneColumns>())!;

        Assert.Equal(["a\"b", "c"], read.JobIds);
        Assert.Equal("CM", read.Kinds);
        Assert.Equal([5L, 1L], read.TickDeltas);
        Assert.Equal([0, 2], read.Hops);
        Assert.Equal(["luna"], read.MovedTo);
    }

    [Theory]
    [InlineData("""{"kinds":"","tickDeltas":[],"hops":[],"movedTo":[]}""", "no jobIds column")]
    [InlineData("""{"jobIds":{},"kinds":"","tickDeltas":[],"hops":[],"movedTo":[]}""", "jobIds column should start with StartArray")]
    [InlineData("""{"jobIds":[null],"kinds":"C","tickDeltas":[1],"hops":[0],"movedTo":[]}""", "a null job id")]
    public void Malformed_columns_are_refused_with_what_is_wrong(string json, string expected)
    {
        var e = Assert.Throws<JsonException>(() => JsonSerializer.Deserialize(json, FabricJson.TypeInfo<TombstoneColumns>()));

        Assert.Contains(expected, e.Message);
    }
}
