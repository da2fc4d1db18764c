using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Planetary.Fabric.Journal;

namespace Planetary.Fabric.Simulation;

/// <summary>
/// A snapshot's JSON bytes, exactly as <see cref="FabricJson.SerializeSnapshot"/> writes them, in a buffer kept for
/// the next one: the replay check serialises two snapshots of every shard each time (often over 85 KB each, so every
/// fresh array was a large-object allocation), and only compares them.
/// </summary>
public sealed class SnapshotBuffer
{
    private static readonly JsonTypeInfo<RouterSnapshot> TypeInfo = (JsonTypeInfo<RouterSnapshot>)FabricJson.Options.GetTypeInfo(typeof(RouterSnapshot));

    private readonly ArrayBufferWriter<byte> _buffer = new(256 * 1024);
    private readonly Utf8JsonWriter _writer;

    public SnapshotBuffer()
    {
        var options = FabricJson.Options;
        _writer = new Utf8JsonWriter(_buffer, new JsonWriterOptions
        {
            Encoder = options.Encoder, Indented = options.WriteIndented, MaxDepth = options.MaxDepth, SkipValidation = true,
        });
    }

    /// <summary>Serialises the snapshot over what the buffer held; the span is valid until the next call.</summary>
    public ReadOnlySpan<byte> Write(RouterSnapshot snapshot)
    {
        _buffer.ResetWrittenCount();
        _writer.Reset();
        JsonSerializer.Serialize(_writer, snapshot, TypeInfo);
        _writer.Flush();
        return _buffer.WrittenSpan;
    }
}
