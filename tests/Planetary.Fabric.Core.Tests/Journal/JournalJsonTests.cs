using System.Reflection;
using System.Text.Json.Serialization;
using Planetary.Contracts;
using Planetary.Fabric.Journal;

namespace Planetary.Fabric.Tests.Journal;

/// <summary>
/// Journal entries survive the journal: every entry type serialises and deserialises to the same value. The cases
/// come from the <see cref="JsonDerivedTypeAttribute"/>s on <see cref="JournalEntry"/>, so a new entry type
/// without a sample here fails.
/// </summary>
public sealed class JournalJsonTests
{
    private const string Node = "EARTH-TITAN-01";

    /// <summary>One sample per entry type, every member set to a non-default value.</summary>
    private static readonly IReadOnlyDictionary<Type, JournalEntry> Samples = new JournalEntry[]
    {
        new JobAccepted(11, "job-1", "governance-review", "luna", 2, 3, 1_700_000_000_123, "mars", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", 1),
        new JobAssigned(12, "job-1", Node, 4),
        new AttemptFailed(13, "job-1", 4, Node, AttemptFailure.TimedOut, "attempt 4 timed out"),
        new JobCompleted(14, "job-1", 2, Node),
        new JobFailed(15, "job-2", "unroutable: nobody has [gpu-acceleration]"),
        new JobCancelled(16, "job-3", "cancelled by owner"),
        new CancelDeferred(16, "job-3", "owner"),
        new JobsSentToShard(17, "earth-x1", "mars", TransferReason.Forward, ["a", "b", "c"]),
        new TransferResent(19, "earth-x1"),
        new TransferSettled(20, "earth-x1", ["a", "c"], ["b"], "shard mars queue is full"),
        new TransferRefused(21, "luna-x7", [new JobRejection("d", "unknown job template 'x'"), new JobRejection("e", "shard earth is paused")]),
        new NodeRegistered(22, Node, ["governance", "logistics"], 12),
        new NodeHeartbeatReceived(23, Node),
        new NodeMarkedOffline(24, Node),
        new NodeDrainStarted(24, Node, 84),
        new AttemptWithdrawn(25, "job-1", 5, Node, "withdrawn from EARTH-TITAN-01: its drain deadline passed"),
        new JobRequeued(26, "job-1", "governance-review", "earth", 1, 3, 1_700_000_000_000, "owner", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"),
        new NodeDrained(25, Node),
        new NodeResumed(25, Node),
        new ParametersAdopted(26, 3, new Dictionary<string, string> { ["nodes.EARTH-TITAN-01.concurrency"] = "4", ["execution.timeScale"] = "0.5" }),
        new TombstonesExpired(27, 20),
        new RouterRecovered(28, "earth-snap-000042", 42),
    }.ToDictionary(e => e.GetType());

    /// <summary>Variants with optional members left out, or other enum values.</summary>
    private static readonly JournalEntry[] Variants =
    [
        new JobAccepted(1, "job-9", "validation-sweep", "earth", 0, 0, 0, null),
        new RouterRecovered(2, null, 0),
        new TransferSettled(3, "earth-x2", ["a"], [], null),
        new AttemptFailed(4, "job-9", 1, Node, AttemptFailure.NodeReported, "boom"),
        new AttemptFailed(5, "job-9", 2, Node, AttemptFailure.Lost, "node went silent"),
        new JobsSentToShard(6, "earth-x3", "luna", TransferReason.Spillover, ["z"]),
        new ParametersAdopted(8, 1, new Dictionary<string, string>()),
    ];

    public static TheoryData<string> Discriminators()
    {
        var data = new TheoryData<string>();
        foreach (var attribute in DerivedTypeAttributes())
        {
            data.Add((string)attribute.TypeDiscriminator!);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Discriminators))]
    public void Every_journal_entry_type_round_trips_through_json_to_an_equal_value(string discriminator)
    {
        var type = DerivedTypeAttributes().Single(a => (string)a.TypeDiscriminator! == discriminator).DerivedType;
        Assert.True(Samples.TryGetValue(type, out var entry), $"no sample for journal entry type {type.Name}: add one to {nameof(Samples)}");
        AssertMembersAreSet(entry!);

        var json = FabricJson.SerializeEntry(entry!);
        var back = FabricJson.DeserializeEntry(json);

        Assert.Contains($"\"$e\":\"{discriminator}\"", json);
        Assert.IsType(type, back);
        Assert.Equal(entry!.Tick, back.Tick);
        Assert.Equal(json, FabricJson.SerializeEntry(back));
        if (!HasCollectionMembers(type))
        {
            Assert.Equal(entry, back);
        }
    }

    [Fact]
    public void Entry_variants_with_null_or_empty_members_round_trip()
    {
        foreach (var entry in Variants)
        {
            var json = FabricJson.SerializeEntry(entry);
            var back = FabricJson.DeserializeEntry(json);

            Assert.IsType(entry.GetType(), back);
            Assert.Equal(json, FabricJson.SerializeEntry(back));
            if (!HasCollectionMembers(entry.GetType()))
            {
                Assert.Equal(entry, back);
            }
        }

        var accepted = Assert.IsType<JobAccepted>(FabricJson.DeserializeEntry(FabricJson.SerializeEntry(Variants[0])));
        Assert.Null(accepted.FromShard);
        Assert.Null(Assert.IsType<RouterRecovered>(FabricJson.DeserializeEntry(FabricJson.SerializeEntry(Variants[1]))).SnapshotId);
    }

    [Fact]
    public void Every_concrete_journal_entry_type_is_registered_for_json()
    {
        var registered = DerivedTypeAttributes().Select(a => a.DerivedType).ToHashSet();
        var concrete = typeof(JournalEntry).Assembly.GetTypes()
            .Where(t => t.IsSubclassOf(typeof(JournalEntry)) && !t.IsAbstract)
            .ToList();

        Assert.NotEmpty(concrete);
        Assert.All(concrete, t => Assert.True(registered.Contains(t), $"{t.Name} has no [JsonDerivedType] on JournalEntry"));
        Assert.Equal(registered.Count, DerivedTypeAttributes().Select(a => (string)a.TypeDiscriminator!).Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void The_json_is_camel_case_with_enums_as_strings_and_nulls_left_out()
    {
        var json = FabricJson.SerializeEntry(new AttemptFailed(13, "job-1", 4, Node, AttemptFailure.TimedOut, "late"));
        var accepted = FabricJson.SerializeEntry(new JobAccepted(1, "job-9", "validation-sweep", "earth", 0, 0, 0, null));

        Assert.StartsWith("""{"$e":"attemptFailed",""", json);
        Assert.Contains("\"jobId\":\"job-1\"", json);
        Assert.Contains("\"nodeId\":\"EARTH-TITAN-01\"", json);
        Assert.Contains("\"failure\":\"TimedOut\"", json);
        Assert.Contains("\"tick\":13", json);
        Assert.DoesNotContain("fromShard", accepted);
    }

    [Fact]
    public void Malformed_or_unknown_entries_do_not_deserialise_silently()
    {
        Assert.ThrowsAny<Exception>(() => FabricJson.DeserializeEntry("""{"$e":"noSuchEntry","tick":1}"""));
        Assert.ThrowsAny<Exception>(() => FabricJson.DeserializeEntry("{"));
        Assert.ThrowsAny<Exception>(() => FabricJson.DeserializeEntry("null"));
    }

    private static IEnumerable<JsonDerivedTypeAttribute> DerivedTypeAttributes() =>
        typeof(JournalEntry).GetCustomAttributes<JsonDerivedTypeAttribute>(inherit: false);

    private static bool HasCollectionMembers(Type type) =>
        type.GetProperties().Any(p => p.PropertyType != typeof(string) && typeof(System.Collections.IEnumerable).IsAssignableFrom(p.PropertyType));

    /// <summary>A member left at its default would round-trip even if the serialiser dropped it; samples must set everything.</summary>
    private static void AssertMembersAreSet(JournalEntry entry)
    {
        foreach (var property in entry.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.Name == "EqualityContract")
            {
                continue;
            }

            var value = property.GetValue(entry);
            var isDefault = value switch
            {
                null => true,
                string s => s.Length == 0,
                System.Collections.IEnumerable e => !e.Cast<object>().Any(),
                _ => value.Equals(Activator.CreateInstance(value.GetType())),
            };
            Assert.False(isDefault, $"sample {entry.GetType().Name}.{property.Name} is left at its default");
        }
    }
}
