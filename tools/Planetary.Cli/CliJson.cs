using System.Text.Json;
using System.Text.Json.Serialization;
using Planetary.Cli.Chaos;
using Planetary.Fabric.Chaos;

namespace Planetary.Cli;

/// <summary>A chaos run's <c>history.json</c>: the verdict and everything the checker saw.</summary>
public sealed record ChaosHistoryFile(ChaosVerdict Verdict, ChaosHistory History);

/// <summary>The CLI's own JSON (web defaults, enums by name), source-generated so the CLI can be published native.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, UseStringEnumConverter = true, WriteIndented = true)]
[JsonSerializable(typeof(ChaosHistoryFile))]
[JsonSerializable(typeof(JobView))]
[JsonSerializable(typeof(JsonElement))]
internal sealed partial class CliJson : JsonSerializerContext;
