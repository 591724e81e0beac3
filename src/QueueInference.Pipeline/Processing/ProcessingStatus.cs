namespace QueueInference.Pipeline.Processing;

/// <summary>How a request ended. Both mean the broker holds the outcome, so the request may be acked.</summary>
public enum ProcessingStatus
{
    /// <summary>The reply was published and confirmed.</summary>
    Replied,

    /// <summary>The request was rejected or undeliverable and is in the dead-letter queue.</summary>
    DeadLettered,
}
