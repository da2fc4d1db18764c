using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Planetary.Fabric.Journal;
using Planetary.Fabric.Reporting;

namespace Planetary.Reporting;

/// <summary>
/// Writes a bundle to a directory: <c>summary.json</c>, <c>owner-log.json</c>, <c>checkpoints.json</c>,
/// <c>nodes.json</c>, <c>topology.mmd</c> and the job timeline <c>events.ndjson</c> (one JSON object a line).
/// </summary>
public static class ReportBundleWriter
{
    public static readonly string[] Files = ["summary.json", "owner-log.json", "checkpoints.json", "nodes.json", "topology.mmd", "events.ndjson"];

    private static readonly JsonSerializerOptions Indented = new(FabricJson.Options) { WriteIndented = true };

    public static void Write(string directory, ReportBundle bundle)
    {
        Directory.CreateDirectory(directory);
        WriteJson(Path.Combine(directory, "summary.json"), bundle.Summary);
        WriteJson(Path.Combine(directory, "owner-log.json"), bundle.OwnerLog);
        WriteJson(Path.Combine(directory, "checkpoints.json"), bundle.Checkpoints);
        WriteJson(Path.Combine(directory, "nodes.json"), bundle.Nodes);
        File.WriteAllText(Path.Combine(directory, "topology.mmd"), bundle.TopologyMermaid, new UTF8Encoding(false));
        WriteTimeline(Path.Combine(directory, "events.ndjson"), bundle.Timeline);
    }

    /// <summary>The bytes of <c>summary.json</c> exactly as written (for hashing and tests).</summary>
    public static byte[] SummaryBytes(DrillSummary summary) => JsonSerializer.SerializeToUtf8Bytes(summary, TypeInfo<DrillSummary>());

    private static void WriteJson<T>(string path, T value)
    {
        using var stream = File.Create(path);
        JsonSerializer.Serialize(stream, value, TypeInfo<T>());
        stream.WriteByte((byte)'\n');
    }

    // The fabric's source-generated contract for T, indented: no reflection, so the CLI can be published native.
    private static JsonTypeInfo<T> TypeInfo<T>() => (JsonTypeInfo<T>)Indented.GetTypeInfo(typeof(T));

    private static void WriteTimeline(string path, IReadOnlyList<TimelineEvent> timeline)
    {
        // Each line goes to an in-memory buffer, written out in large pieces: flushing the JSON writer straight into the
        // file stream after every event flushed the file too (one write call per event, about 250,000 for a 40,000-job drill).
        const int WriteOutAt = 1 << 16;
        using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 0);
        var buffer = new ArrayBufferWriter<byte>(WriteOutAt + 4096);
        using var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { SkipValidation = true });
        foreach (var e in timeline)
        {
            json.WriteStartObject();
            json.WriteNumber("tick"u8, e.Tick);
            if (e.AtMs > 0)
            {
                json.WriteNumber("atMs"u8, e.AtMs);
            }

            json.WriteString("job"u8, e.JobId);
            json.WriteString("event"u8, JobEventNames.Of(e.Kind));
            json.WriteString("shard"u8, e.Shard);
            if (e.Node is not null)
            {
                json.WriteString("node"u8, e.Node);
            }

            if (e.Attempt > 0)
            {
                json.WriteNumber("attempt"u8, e.Attempt);
            }

            if (e.Detail is not null)
            {
                json.WriteString("detail"u8, e.Detail);
            }

            json.WriteEndObject();
            json.Flush();
            buffer.GetSpan(1)[0] = (byte)'\n';
            buffer.Advance(1);
            json.Reset();
            if (buffer.WrittenCount >= WriteOutAt)
            {
                stream.Write(buffer.WrittenSpan);
                buffer.ResetWrittenCount();
            }
        }

        stream.Write(buffer.WrittenSpan);
    }
}
