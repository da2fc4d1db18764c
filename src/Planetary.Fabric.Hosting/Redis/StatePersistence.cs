using System.Globalization;

namespace Planetary.Fabric.Hosting.Redis;

/// <summary>
/// Whether a Redis server keeps what it acknowledged: the fabric journals into it and acknowledges bus messages after
/// the journal write, so a server that loses acknowledged writes on a restart would lose jobs. It must write an
/// append-only file (<c>appendonly yes</c>) and either fsync it on every write (<c>appendfsync always</c>) or, when
/// the services are configured to wait for replicas (<c>Fabric:JournalReplicaAcks</c>), have that many replicas
/// connected.
/// </summary>
/// <param name="AppendOnly">The server's <c>appendonly</c> setting.</param>
/// <param name="AppendFsync">The server's <c>appendfsync</c> setting.</param>
/// <param name="ConnectedReplicas">Replicas connected to the primary (from <c>INFO replication</c>).</param>
public sealed record StatePersistence(string AppendOnly, string AppendFsync, int ConnectedReplicas)
{
    /// <summary>Null when the server keeps acknowledged writes; otherwise what is wrong and how to fix it, in plain words.</summary>
    public string? Problem(int journalReplicaAcks)
    {
        if (!string.Equals(AppendOnly, "yes", StringComparison.OrdinalIgnoreCase))
        {
            return $"the state store does not write an append-only file (appendonly {AppendOnly}): a restart of Redis would lose " +
                   "acknowledged jobs. Start redis-server with --appendonly yes --appendfsync always (the app host's local " +
                   "and containers modes do).";
        }

        if (string.Equals(AppendFsync, "always", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        if (journalReplicaAcks > 0 && ConnectedReplicas >= journalReplicaAcks)
        {
            return null;
        }

        return journalReplicaAcks > 0
            ? $"the state store fsyncs its append-only file only '{AppendFsync}' and has {ConnectedReplicas.ToString(CultureInfo.InvariantCulture)} " +
              $"of the {journalReplicaAcks.ToString(CultureInfo.InvariantCulture)} replicas Fabric:JournalReplicaAcks waits for: " +
              "an acknowledged job could be lost. Set appendfsync always, or connect the replicas."
            : $"the state store fsyncs its append-only file only '{AppendFsync}' (not on every write): a crash of the Redis host " +
              "could lose acknowledged jobs. Set appendfsync always, or run replicas and set Fabric:JournalReplicaAcks.";
    }
}
