namespace QueueInference.Pipeline.Messaging;

/// <summary>The type of the retry and dead-letter queues the app declares (<c>RabbitMQ:QueueType</c>).</summary>
public enum OwnQueueType
{
    /// <summary>Replicated (RabbitMQ 3.10+ for message TTL and at-least-once dead-lettering, which retry queues need).</summary>
    Quorum,

    /// <summary>One copy on one node: what brokers before 3.10 support.</summary>
    Classic,
}
