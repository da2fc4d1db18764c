using Planetary.Contracts;
using Planetary.Fabric.Journal;
using Planetary.Fabric.Manifest;
using Planetary.Fabric.Routing;

namespace Planetary.Fabric.Simulation.Tests.Checkers;

/// <summary>The replay check's reused buffer holds exactly the bytes of <see cref="FabricJson.SerializeSnapshot"/>.</summary>
public sealed class SnapshotBufferTests
{
    private static readonly FabricManifest Genesis = ManifestLoader.LoadDefault();

    [Fact]
    public void Writes_the_bytes_of_the_snapshot_serialiser_and_reuses_its_buffer()
    {
        var buffer = new SnapshotBuffer();
        var big = new RouterState("earth", Genesis);
        for (var i = 0; i < 2_000; i++)
        {
            big.Apply(new JobAccepted(1 + i / 100, $"job-{i:D5}", "governance-review", "earth", 0, 0, 1_000 + i, null, "00-trace-é-\"quoted\""));
        }

        for (var i = 0; i < 500; i++)
        {
            big.Apply(new JobCancelled(30, $"job-{i:D5}", "owner"));
        }

        big.Apply(new JobsSentToShard(31, "earth-x1", "luna", TransferReason.Spillover, ["job-01000", "job-01001"]));
        var small = new RouterState("luna", Genesis);
        small.Apply(new JobAccepted(1, "only", "validation-sweep", "luna", 0, 0, 5, null));

        foreach (var state in new[] { big, small, big })
        {
            var snapshot = RouterSnapshot.Capture(state);
            Assert.Equal(FabricJson.SerializeSnapshot(snapshot), buffer.Write(snapshot).ToArray());
        }
    }
}
