namespace QueueInference.Pipeline.Processing;

/// <summary>How a request ended.</summary>
public enum ProcessingStatus
{
    /// <summary>The reply was published and confirmed: the request may be acked.</summary>
    Replied,

    /// <summary>The request was rejected or undeliverable and is in the dead-letter queue: it may be acked.</summary>
    DeadLettered,

    /// <summary>
    /// Nothing was settled because the host's <see cref="ISettlementGate"/> lost the delivery for good (its
    /// connection went away and no redelivery came back here in time): the broker holds the request and
    /// delivers it again, so nothing may be acked or retried.
    /// </summary>
    Abandoned,
}
