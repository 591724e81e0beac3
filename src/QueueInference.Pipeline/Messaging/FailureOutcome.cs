namespace QueueInference.Pipeline.Messaging;

/// <summary>What became of a request that failed or was redelivered; either way the original may be acked.</summary>
public enum FailureOutcome
{
    /// <summary>Parked in a retry queue; it returns to the request queue after its delay.</summary>
    Retried,

    /// <summary>Put back at the tail of the request queue with its redelivery count raised.</summary>
    Requeued,

    /// <summary>In the dead-letter queue.</summary>
    DeadLettered,
}
