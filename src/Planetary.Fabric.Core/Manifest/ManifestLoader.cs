using System.Text.Json;

namespace Planetary.Fabric.Manifest;

/// <summary>
/// Reads a manifest from JSON, reporting every problem at once with its JSON path: malformed JSON, missing or
/// unknown properties, wrong types, then everything <see cref="ManifestValidator"/> finds.
/// </summary>
public static class ManifestLoader
{
    public const string DefaultResourceName = "Planetary.Fabric.DefaultManifest.json";

    /// <summary>The default manifest (<c>config/fabric.json</c>, embedded at build time).</summary>
    public static FabricManifest LoadDefault()
    {
        using var stream = typeof(ManifestLoader).Assembly.GetManifestResourceStream(DefaultResourceName)
            ?? throw new InvalidOperationException("The default manifest is not embedded.");
        using var reader = new StreamReader(stream);
        return LoadOrThrow(reader.ReadToEnd());
    }

    public static FabricManifest LoadFile(string path) => LoadOrThrow(File.ReadAllText(path));

    public static FabricManifest LoadOrThrow(string json)
    {
        var (manifest, errors) = Load(json);
        return errors.Count == 0 ? manifest! : throw new InvalidManifestException(errors);
    }

    /// <summary>Parses and validates. The manifest is null when any error was found.</summary>
    public static (FabricManifest? Manifest, IReadOnlyList<ManifestError> Errors) Load(string json)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
        }
        catch (JsonException e)
        {
            return (null, [new ManifestError("$", $"malformed JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}): {FirstSentence(e.Message)}")]);
        }

        using (document)
        {
            var reader = new Reader();
            var manifest = reader.ReadManifest(document.RootElement);
            if (reader.Errors.Count > 0)
            {
                return (null, reader.Errors);
            }

            var errors = ManifestValidator.Validate(manifest);
            return errors.Count == 0 ? (manifest, errors) : (null, errors);
        }
    }

    private static string FirstSentence(string message)
    {
        var dot = message.IndexOf(". ", StringComparison.Ordinal);
        return dot < 0 ? message : message[..(dot + 1)];
    }

    /// <summary>A typed walk over the JSON that records a problem instead of throwing, so every problem is reported.</summary>
    private sealed class Reader
    {
        public List<ManifestError> Errors { get; } = [];

        public FabricManifest ReadManifest(JsonElement root)
        {
            var o = new ObjectReader(this, root, "$");
            if (root.ValueKind != JsonValueKind.Object)
            {
                return null!;
            }

            var fabric = o.Object("fabric", optional: true, f => new FabricSettings(f.Bool("paused", false)), new FabricSettings(false));
            var routers = o.Object("routers", optional: false, r => new RouterSettings(
                r.Int("tickMs"),
                r.Int("heartbeatIntervalTicks"),
                r.Int("heartbeatGraceTicks"),
                r.Int("spilloverBatch"),
                r.Int("hopLimit"),
                r.Int("cooldownTicks"),
                r.Int("maxAttempts"),
                r.Int("jobTimeoutTicks"),
                r.Int("transferTimeoutTicks"),
                r.Int("dedupeRetentionTicks")), null);
            var checkpoint = o.Object("checkpoint", optional: false, c => new CheckpointSettings(c.Int("intervalTicks"), c.Int("snapshotsRetained")), null);
            var execution = o.Object("execution", optional: true, e => new ExecutionSettings(e.Number("timeScale", 1.0)), new ExecutionSettings(1.0));
            var jobs = o.Object("jobs", optional: true, j => new JobSettings(j.Int("retentionHours", JobSettings.DefaultRetentionHours)), new JobSettings(JobSettings.DefaultRetentionHours));

            var manifest = new FabricManifest(
                o.String("name"),
                o.Strings("capabilities"),
                o.Array("shards", s => new ShardSpec(
                    s.String("id"),
                    s.String("label"),
                    s.Strings("spilloverTargets"),
                    s.Int("spilloverThreshold"),
                    s.Int("maxQueueDepth"),
                    s.Bool("paused", false))),
                o.Array("nodes", n => new NodeSpec(
                    n.String("id"),
                    n.String("shard"),
                    n.Strings("capabilities"),
                    n.Int("concurrency"),
                    n.Number("reliability"))),
                o.Array("jobTemplates", t => new JobTemplateSpec(
                    t.String("name"),
                    t.Strings("capabilities"),
                    t.Int("durationTicks"),
                    t.Number("weight"))),
                fabric!,
                routers ?? new RouterSettings(0, 0, 0, 0, 0, 0, 0, 0, 0, 0),
                checkpoint ?? new CheckpointSettings(0, 0),
                execution!,
                jobs!);
            o.ReportUnknownProperties();
            return manifest;
        }

        /// <summary>
        /// Reads one JSON object. The schema is declared once, by the reads themselves: every property a read asks for
        /// is known, and <see cref="ReportUnknownProperties"/> reports any other (with a suggestion) once the reads are done.
        /// </summary>
        private sealed class ObjectReader
        {
            private readonly List<string> _known = [];

            public ObjectReader(Reader owner, JsonElement element, string path)
            {
                Owner = owner;
                Element = element;
                Path = path;
                if (element.ValueKind != JsonValueKind.Object)
                {
                    owner.Errors.Add(new ManifestError(path, $"expected an object, got {Describe(element)}"));
                }
            }

            /// <summary>Reports properties no read asked for, and properties given twice.</summary>
            public void ReportUnknownProperties()
            {
                if (!IsObject)
                {
                    return;
                }

                var known = _known.ToArray();
                var seen = new HashSet<string>(StringComparer.Ordinal);
                foreach (var property in Element.EnumerateObject())
                {
                    if (!known.Contains(property.Name, StringComparer.Ordinal))
                    {
                        var guess = Suggest(property.Name, known);
                        var hint = guess is null ? string.Empty : $"; did you mean '{guess}'?";
                        Owner.Errors.Add(new ManifestError($"{Path}.{property.Name}", $"unknown property{hint} (known here: {string.Join(", ", known)})"));
                    }
                    else if (!seen.Add(property.Name))
                    {
                        Owner.Errors.Add(new ManifestError($"{Path}.{property.Name}", "is given more than once; give it once (JSON readers disagree on which copy counts)"));
                    }
                }
            }

            private Reader Owner { get; }

            private JsonElement Element { get; }

            private string Path { get; }

            private bool IsObject => Element.ValueKind == JsonValueKind.Object;

            private JsonElement? Get(string name, bool optional)
            {
                if (!_known.Contains(name, StringComparer.Ordinal))
                {
                    _known.Add(name);
                }

                if (!IsObject)
                {
                    return null;
                }

                if (Element.TryGetProperty(name, out var value))
                {
                    return value;
                }

                if (!optional)
                {
                    Owner.Errors.Add(new ManifestError($"{Path}.{name}", "is required"));
                }

                return null;
            }

            public string String(string name)
            {
                var e = Get(name, optional: false);
                if (e is { ValueKind: JsonValueKind.String } s)
                {
                    return s.GetString()!;
                }

                if (e is not null)
                {
                    Owner.Errors.Add(new ManifestError($"{Path}.{name}", $"expected a string, got {Describe(e.Value)}"));
                }

                return string.Empty;
            }

            public int Int(string name, int? fallback = null)
            {
                var e = Get(name, optional: fallback is not null);
                if (e is null)
                {
                    return fallback ?? 0;
                }

                if (e.Value.ValueKind == JsonValueKind.Number && e.Value.TryGetInt32(out var i))
                {
                    return i;
                }

                var tooLarge = e.Value.ValueKind == JsonValueKind.Number && Math.Abs(e.Value.GetDouble()) > int.MaxValue;
                Owner.Errors.Add(new ManifestError($"{Path}.{name}",
                    tooLarge ? $"expected an integer, got the number {e.Value.GetRawText()}, which is outside the integer range" : $"expected an integer, got {Describe(e.Value)}"));
                return 0;
            }

            public double Number(string name, double? fallback = null)
            {
                var e = Get(name, optional: fallback is not null);
                if (e is null)
                {
                    return fallback ?? 0;
                }

                if (e.Value.ValueKind == JsonValueKind.Number)
                {
                    return e.Value.GetDouble();
                }

                Owner.Errors.Add(new ManifestError($"{Path}.{name}", $"expected a number, got {Describe(e.Value)}"));
                return fallback ?? 0;
            }

            public bool Bool(string name, bool fallback)
            {
                var e = Get(name, optional: true);
                if (e is null)
                {
                    return fallback;
                }

                if (e.Value.ValueKind is JsonValueKind.True or JsonValueKind.False)
                {
                    return e.Value.GetBoolean();
                }

                Owner.Errors.Add(new ManifestError($"{Path}.{name}", $"expected true or false, got {Describe(e.Value)}"));
                return fallback;
            }

            public IReadOnlyList<string> Strings(string name)
            {
                var e = Get(name, optional: false);
                if (e is null)
                {
                    return [];
                }

                if (e.Value.ValueKind != JsonValueKind.Array)
                {
                    Owner.Errors.Add(new ManifestError($"{Path}.{name}", $"expected a list of strings, got {Describe(e.Value)}"));
                    return [];
                }

                var items = new List<string>();
                var index = 0;
                foreach (var item in e.Value.EnumerateArray())
                {
                    if (item.ValueKind == JsonValueKind.String)
                    {
                        items.Add(item.GetString()!);
                    }
                    else
                    {
                        Owner.Errors.Add(new ManifestError($"{Path}.{name}[{index}]", $"expected a string, got {Describe(item)}"));
                    }

                    index++;
                }

                return items;
            }

            public IReadOnlyList<T> Array<T>(string name, Func<ObjectReader, T> read)
            {
                var e = Get(name, optional: false);
                if (e is null)
                {
                    return [];
                }

                if (e.Value.ValueKind != JsonValueKind.Array)
                {
                    Owner.Errors.Add(new ManifestError($"{Path}.{name}", $"expected a list, got {Describe(e.Value)}"));
                    return [];
                }

                var items = new List<T>();
                var index = 0;
                foreach (var item in e.Value.EnumerateArray())
                {
                    var reader = new ObjectReader(Owner, item, $"{Path}.{name}[{index}]");
                    if (item.ValueKind == JsonValueKind.Object)
                    {
                        items.Add(read(reader));
                        reader.ReportUnknownProperties();
                    }

                    index++;
                }

                return items;
            }

            public T? Object<T>(string name, bool optional, Func<ObjectReader, T> read, T? fallback)
            {
                var e = Get(name, optional);
                if (e is null)
                {
                    return fallback;
                }

                var reader = new ObjectReader(Owner, e.Value, $"{Path}.{name}");
                if (e.Value.ValueKind != JsonValueKind.Object)
                {
                    return fallback;
                }

                var value = read(reader);
                reader.ReportUnknownProperties();
                return value;
            }

            private static string Describe(JsonElement e) => e.ValueKind switch
            {
                JsonValueKind.String => $"the string \"{Clip(e.GetString()!)}\"",
                JsonValueKind.Number => $"the number {e.GetRawText()}",
                JsonValueKind.True or JsonValueKind.False => e.GetRawText(),
                JsonValueKind.Null => "null",
                JsonValueKind.Array => "a list",
                JsonValueKind.Object => "an object",
                _ => e.ValueKind.ToString(),
            };

            private static string Clip(string s) => s.Length <= 30 ? s : s[..30] + "…";

            /// <summary>The known name a misspelt one most likely meant: same letters ignoring case, or at most two edits away.</summary>
            private static string? Suggest(string name, string[] known) =>
                known.FirstOrDefault(k => string.Equals(k, name, StringComparison.OrdinalIgnoreCase))
                ?? known.Select(k => (Name: k, Distance: EditDistance(name.ToLowerInvariant(), k.ToLowerInvariant())))
                    .Where(c => c.Distance <= 2 && c.Distance < c.Name.Length / 2)
                    .OrderBy(c => c.Distance)
                    .Select(c => c.Name)
                    .FirstOrDefault();

            private static int EditDistance(string a, string b)
            {
                var previous = new int[b.Length + 1];
                var current = new int[b.Length + 1];
                for (var j = 0; j <= b.Length; j++)
                {
                    previous[j] = j;
                }

                for (var i = 1; i <= a.Length; i++)
                {
                    current[0] = i;
                    for (var j = 1; j <= b.Length; j++)
                    {
                        var substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
                        current[j] = Math.Min(substitution, Math.Min(previous[j], current[j - 1]) + 1);
                    }

                    (previous, current) = (current, previous);
                }

                return previous[b.Length];
            }
        }
    }
}
