using System.Globalization;
using System.Text.Json;

namespace Planetary.Fabric.Parameters;

/// <summary>A typed parameter value with one canonical text form (invariant culture; lists comma-separated).</summary>
public abstract record ParameterValue
{
    public sealed record IntegerValue(long Value) : ParameterValue
    {
        public override string ToString() => Value.ToString(CultureInfo.InvariantCulture);
    }

    public sealed record NumberValue(double Value) : ParameterValue
    {
        public override string ToString() => Value.ToString("R", CultureInfo.InvariantCulture);
    }

    public sealed record BooleanValue(bool Value) : ParameterValue
    {
        public override string ToString() => Value ? "true" : "false";
    }

    public sealed record ListValue(IReadOnlyList<string> Items) : ParameterValue
    {
        public override string ToString() => string.Join(',', Items);

        public bool Equals(ListValue? other) => other is not null && Items.SequenceEqual(other.Items, StringComparer.Ordinal);

        public override int GetHashCode() => Items.Count;
    }

    public int AsInt() => checked((int)((IntegerValue)this).Value);

    public double AsDouble() => this is IntegerValue i ? i.Value : ((NumberValue)this).Value;

    public bool AsBool() => ((BooleanValue)this).Value;

    public IReadOnlyList<string> AsList() => ((ListValue)this).Items;

    /// <summary>The value as a JSON literal (for APIs and reports).</summary>
    public string ToJson() => this switch
    {
        ListValue l => JsonSerializer.Serialize(l.Items, Journal.FabricJsonContext.Default.IReadOnlyListString),
        _ => ToString(),
    };

    /// <summary>Parses owner text (<c>64</c>, <c>0.98</c>, <c>true</c>, <c>a,b</c> or <c>["a","b"]</c>) as the given kind.</summary>
    public static bool TryParse(ParameterKind kind, string? text, out ParameterValue? value, out string? problem)
    {
        value = null;
        problem = null;
        text = text?.Trim();
        if (text is null)
        {
            problem = "a value is required";
            return false;
        }

        switch (kind)
        {
            case ParameterKind.Integer:
                if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l))
                {
                    value = new IntegerValue(l);
                    return true;
                }

                problem = $"expected an integer, got '{Clip(text)}'";
                return false;
            case ParameterKind.Number:
                if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d))
                {
                    value = new NumberValue(d);
                    return true;
                }

                problem = $"expected a number, got '{Clip(text)}'";
                return false;
            case ParameterKind.Boolean:
                if (bool.TryParse(text, out var b))
                {
                    value = new BooleanValue(b);
                    return true;
                }

                problem = $"expected true or false, got '{Clip(text)}'";
                return false;
            case ParameterKind.ShardList:
            case ParameterKind.CapabilityList:
                return TryParseList(text, out value, out problem);
            default:
                problem = "unsupported parameter kind";
                return false;
        }
    }

    /// <summary>Converts a JSON value (from an HTTP body) into a typed value; strings are parsed as owner text.</summary>
    public static bool TryFromJson(ParameterKind kind, JsonElement json, out ParameterValue? value, out string? problem)
    {
        value = null;
        problem = null;
        switch (json.ValueKind)
        {
            case JsonValueKind.String:
                return TryParse(kind, json.GetString(), out value, out problem);
            case JsonValueKind.Number when kind is ParameterKind.Integer or ParameterKind.Number:
                return TryParse(kind, json.GetRawText(), out value, out problem);
            case JsonValueKind.True or JsonValueKind.False when kind == ParameterKind.Boolean:
                value = new BooleanValue(json.GetBoolean());
                return true;
            case JsonValueKind.Array when kind is ParameterKind.ShardList or ParameterKind.CapabilityList:
                var items = new List<string>();
                foreach (var item in json.EnumerateArray())
                {
                    if (item.ValueKind != JsonValueKind.String)
                    {
                        problem = $"expected a list of strings, found {Article(item.ValueKind)} in it";
                        return false;
                    }

                    items.Add(item.GetString()!);
                }

                value = new ListValue(items);
                return true;
            default:
                problem = $"expected {Describe(kind)}, got a JSON {json.ValueKind.ToString().ToLowerInvariant()}";
                return false;
        }
    }

    public static string Describe(ParameterKind kind) => kind switch
    {
        ParameterKind.Integer => "an integer",
        ParameterKind.Number => "a number",
        ParameterKind.Boolean => "true or false",
        ParameterKind.ShardList => "a list of shard ids",
        ParameterKind.CapabilityList => "a list of capability names",
        _ => "a value",
    };

    private static bool TryParseList(string text, out ParameterValue? value, out string? problem)
    {
        value = null;
        problem = null;
        if (text.StartsWith('['))
        {
            try
            {
                using var doc = JsonDocument.Parse(text);
                return TryFromJson(ParameterKind.ShardList, doc.RootElement, out value, out problem);
            }
            catch (JsonException)
            {
                problem = $"expected a JSON list of strings, got '{Clip(text)}'";
                return false;
            }
        }

        var items = text.Length == 0
            ? []
            : text.Split(',', StringSplitOptions.TrimEntries).ToList();
        if (items.Any(i => i.Length == 0))
        {
            problem = "a list item is empty";
            return false;
        }

        value = new ListValue(items);
        return true;
    }

    private static string Article(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Array => "an array",
        JsonValueKind.Object => "an object",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "a null",
        _ => $"a {kind.ToString().ToLowerInvariant()}",
    };

    private static string Clip(string text) => text.Length <= 40 ? text : text[..40] + "…";
}
