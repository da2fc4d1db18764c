using Microsoft.Extensions.Options;
using Planetary.Fabric.Manifest;
using Planetary.Fabric.Reporting;

namespace Planetary.Fabric.Hosting;

/// <summary>
/// The manifest this fleet was started from. It fixes the shards, nodes and capabilities; owner parameter changes
/// are applied on top of it (their current values live in Redis, see <see cref="Redis.ParameterStore"/>).
/// </summary>
public sealed class GenesisManifest
{
    public GenesisManifest(IOptions<FabricOptions> options)
    {
        var path = options.Value.ManifestPath;
        Path = System.IO.Path.GetFullPath(path);
        Manifest = File.Exists(Path)
            ? ManifestLoader.LoadFile(Path)
            : throw new FileNotFoundException($"The owner manifest '{Path}' does not exist (set Fabric:ManifestPath).", Path);
        ConfigHash = Reporting.ConfigHash.Of(Manifest);
        StructureHash = Reporting.ConfigHash.StructureOf(Manifest);
    }

    /// <summary>
    /// Checks that the state in Redis belongs to a fabric with this manifest's structure (shards, nodes,
    /// capabilities, templates), claiming it for this manifest when Redis is empty.
    /// </summary>
    public async Task EnsureStateMatchesAsync(StackExchange.Redis.IConnectionMultiplexer redis)
    {
        var db = redis.GetDatabase();
        var claimedEmpty = await Redis.StateStore.Call(() => db.StringSetAsync(Redis.RedisKeys.Genesis, StructureHash, when: StackExchange.Redis.When.NotExists));
        var format = (string?)await Redis.StateStore.Call(async () =>
        {
            await db.StringSetAsync(Redis.RedisKeys.Format, StateFormat, when: claimedEmpty ? StackExchange.Redis.When.Always : StackExchange.Redis.When.NotExists);
            return await db.StringGetAsync(Redis.RedisKeys.Format);
        });
        if (format != StateFormat)
        {
            throw new InvalidOperationException(
                $"Redis holds fabric state in layout '{format}', but this build reads layout '{StateFormat}' (fenced journals with commit numbers, snapshots ordered " +
                "by journal position, outcomes and job ids kept per job). Start from empty state (bash scripts/run-fabric.sh --wipe, or delete the fabric:* keys).");
        }

        if (claimedEmpty)
        {
            return;
        }

        var stored = (string?)await db.StringGetAsync(Redis.RedisKeys.Genesis);
        if (stored != StructureHash)
        {
            throw new InvalidOperationException(
                $"Redis holds the state of a fabric with a different structure ({stored}); this manifest ({Path}) has {StructureHash}. " +
                "Shards, nodes, capabilities or templates were changed in the manifest file. Start from empty state " +
                "(bash scripts/run-fabric.sh --wipe, or delete the fabric:* keys) or restore the manifest.");
        }
    }

    /// <summary>The layout of the fabric's keys in Redis this build reads and writes (see <see cref="Redis.RedisKeys"/>).</summary>
    public const string StateFormat = "3";

    /// <summary>See <see cref="EnsureStateMatchesAsync"/>.</summary>
    public string StructureHash { get; }

    public string Path { get; }

    public FabricManifest Manifest { get; }

    public string ConfigHash { get; }
}
