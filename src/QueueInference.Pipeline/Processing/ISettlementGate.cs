namespace QueueInference.Pipeline.Processing;

/// <summary>
/// Lets the pipeline settle a request (publish its reply or dead letter) only while the host still holds a
/// delivery of it that it can ack: otherwise the broker redelivers the request, and a reply now would be
/// answered again.
/// </summary>
public interface ISettlementGate
{
    /// <summary>
    /// True once the request can be settled through a live delivery (at once, unless its connection was lost
    /// and the broker's redelivery has not arrived yet); false when the wait was given up.
    /// </summary>
    ValueTask<bool> WaitUntilSettleableAsync(CancellationToken cancellationToken);
}
