using System.Globalization;
using System.Text.Json;
using Planetary.Fabric.Manifest;
using Planetary.Fabric.Parameters;
using Planetary.Fabric.Reporting;
using Planetary.Fabric.Runtime.Ports;
using StackExchange.Redis;

namespace Planetary.Fabric.Hosting.Redis;

/// <summary>
/// The owner's parameters and audit log in Redis. A change is a compare-and-set on the version, written in the
/// same transaction as its audit entry, so the log and the values never disagree.
/// </summary>
public sealed class ParameterStore(IConnectionMultiplexer redis) : IParameterSource
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async ValueTask<StoredParameters?> CurrentAsync(CancellationToken cancellationToken = default)
    {
        var fields = await StateStore.Call(() => redis.GetDatabase().HashGetAllAsync(RedisKeys.Parameters));
        if (fields.Length == 0)
        {
            return null;
        }

        var map = fields.ToDictionary(f => (string)f.Name!, f => (string)f.Value!, StringComparer.Ordinal);
        return new StoredParameters(
            long.Parse(map["version"], CultureInfo.InvariantCulture),
            JsonSerializer.Deserialize<SortedDictionary<string, string>>(map["values"], Json)!,
            long.Parse(map["changedAtMs"], CultureInfo.InvariantCulture));
    }

    /// <summary>The manifest with the owner's current values applied (the genesis manifest if none were stored).</summary>
    public async Task<(FabricManifest Manifest, long Version)> CurrentManifestAsync(FabricManifest genesis)
    {
        var current = await CurrentAsync();
        return current is null ? (genesis, 0) : (ParameterCatalog.ApplyAll(genesis, current.Values), current.Version);
    }

    /// <summary>Writes new values at <paramref name="expectedVersion"/> + 1 with their audit entry; false if someone else changed them first.</summary>
    public async Task<bool> TryWriteAsync(long expectedVersion, IReadOnlyDictionary<string, string> values, OwnerLogEntry audit, long atMs)
    {
        var db = redis.GetDatabase();
        var tx = db.CreateTransaction();
        if (expectedVersion == 0)
        {
            tx.AddCondition(Condition.HashNotExists(RedisKeys.Parameters, "version"));
        }
        else
        {
            tx.AddCondition(Condition.HashEqual(RedisKeys.Parameters, "version", expectedVersion.ToString(CultureInfo.InvariantCulture)));
        }

        _ = tx.HashSetAsync(RedisKeys.Parameters,
        [
            new HashEntry("version", (expectedVersion + 1).ToString(CultureInfo.InvariantCulture)),
            new HashEntry("values", JsonSerializer.Serialize(values, Json)),
            new HashEntry("changedAtMs", atMs.ToString(CultureInfo.InvariantCulture)),
        ]);
        _ = tx.StreamAddAsync(RedisKeys.OwnerLog, "entry", JsonSerializer.Serialize(audit, Json));
        return await tx.ExecuteAsync();
    }

    /// <summary>The newest <paramref name="count"/> entries of the audit log, oldest first.</summary>
    public async Task<IReadOnlyList<OwnerLogEntry>> OwnerLogAsync(int count = 10_000) =>
        (await redis.GetDatabase().StreamRangeAsync(RedisKeys.OwnerLog, "-", "+", count, Order.Descending))
            .Reverse()
            .Select(e => JsonSerializer.Deserialize<OwnerLogEntry>((string)e["entry"]!, Json)!).ToArray();

    /// <summary>How many entries the audit log holds.</summary>
    public Task<long> OwnerLogLengthAsync() => redis.GetDatabase().StreamLengthAsync(RedisKeys.OwnerLog);
}
