using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Planetary.Fabric.Reporting;

namespace Planetary.Fabric.Journal;

/// <summary>The one JSON format for journal entries, snapshots and reports (camelCase, enums as strings).</summary>
public static class FabricJson
{
    public static JsonSerializerOptions Options => FabricJsonContext.Default.Options;

    /// <summary>The source-generated contract for a report or journal type (no reflection: fit for a native CLI).</summary>
    public static JsonTypeInfo<T> TypeInfo<T>() => (JsonTypeInfo<T>)Options.GetTypeInfo(typeof(T));

    public static byte[] SerializeSnapshot(RouterSnapshot snapshot) =>
        JsonSerializer.SerializeToUtf8Bytes(snapshot, FabricJsonContext.Default.RouterSnapshot);

    public static RouterSnapshot DeserializeSnapshot(ReadOnlySpan<byte> json) =>
        JsonSerializer.Deserialize(json, FabricJsonContext.Default.RouterSnapshot)
        ?? throw new InvalidOperationException("A snapshot deserialised to null.");

    public static string SerializeEntry(JournalEntry entry) =>
        JsonSerializer.Serialize(entry, FabricJsonContext.Default.JournalEntry);

    public static string SerializeEntries(IReadOnlyList<JournalEntry> entries) =>
        JsonSerializer.Serialize(entries as JournalEntry[] ?? entries.ToArray(), FabricJsonContext.Default.JournalEntryArray);

    public static JournalEntry[] DeserializeEntries(string json) =>
        JsonSerializer.Deserialize(json, FabricJsonContext.Default.JournalEntryArray)
        ?? throw new InvalidOperationException("A journal record deserialised to null.");

    public static JournalEntry DeserializeEntry(string json) =>
        JsonSerializer.Deserialize(json, FabricJsonContext.Default.JournalEntry)
        ?? throw new InvalidOperationException("A journal entry deserialised to null.");
}

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UseStringEnumConverter = true,
    WriteIndented = false)]
[JsonSerializable(typeof(RouterSnapshot))]
[JsonSerializable(typeof(JournalEntry))]
[JsonSerializable(typeof(JournalEntry[]))]
[JsonSerializable(typeof(DrillSummary))]
[JsonSerializable(typeof(IReadOnlyList<NodeFigures>))]
[JsonSerializable(typeof(IReadOnlyList<OwnerLogEntry>))]
[JsonSerializable(typeof(IReadOnlyList<CheckpointRecord>))]
[JsonSerializable(typeof(TimelineEvent))]
[JsonSerializable(typeof(IReadOnlyList<string>))]
internal sealed partial class FabricJsonContext : JsonSerializerContext;
