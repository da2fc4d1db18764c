namespace Planetary.Fabric.Routing;

/// <summary>Jobs sent to an ally and not yet settled.</summary>
public sealed class OutgoingTransfer
{
    public required string Id { get; init; }

    public required string ToShard { get; init; }

    public required Contracts.TransferReason Reason { get; init; }

    public required IReadOnlyList<string> JobIds { get; init; }

    public long LastSentTick { get; internal set; }

    public int Sends { get; internal set; }
}
