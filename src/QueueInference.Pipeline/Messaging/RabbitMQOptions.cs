using System.ComponentModel.DataAnnotations;

namespace QueueInference.Pipeline.Messaging;

/// <summary>The broker and the queues (section <c>RabbitMQ</c>).</summary>
public sealed class RabbitMQOptions
{
    public const string SectionName = "RabbitMQ";

    /// <summary>
    /// AMQP URI, <c>amqp://user:password@host:5672/vhost</c> or <c>amqps://</c> for TLS; several nodes of a cluster
    /// as a comma-separated host list, <c>amqp://user:password@node1:5672,node2:5672,node3:5672/vhost</c>
    /// (<see cref="BrokerAddress"/>). Never logged unredacted.
    /// </summary>
    [Required]
    public string ConnectionString { get; set; } = "amqp://guest:guest@localhost:5672/";

    /// <summary>
    /// The queue requests arrive on, declared durable with no arguments exactly as seed clients
    /// declare it; or, in the worker host, several partitions of one stream as a comma-separated
    /// list (one queue tops out at tens of thousands of msg/s; see docs/scale-planning.md).
    /// </summary>
    [Required]
    public string RequestQueue { get; set; } = "request_queue";

    /// <summary>Where rejected and exhausted messages go; empty means <c>&lt;request queue&gt;.dead</c>, one per request queue.</summary>
    public string? DeadLetterQueue { get; set; }

    /// <summary>
    /// Type of the queues the app declares for itself (<c>&lt;queue&gt;.retry.&lt;ms&gt;</c> and the dead-letter
    /// queue) when they do not exist yet: <see cref="OwnQueueType.Quorum"/>, replicated on a cluster so a node's
    /// loss loses no retry or dead letter, or <see cref="OwnQueueType.Classic"/>. Queues that already exist are
    /// used as they are, whatever their type.
    /// </summary>
    public OwnQueueType QueueType { get; set; } = OwnQueueType.Quorum;

    /// <summary>Prefix of the connection names shown in the management UI.</summary>
    [Required]
    public string ClientName { get; set; } = "queue-inference";

    /// <summary>
    /// With an amqps:// URI, accept a broker certificate that fails validation (self-signed,
    /// expired, wrong host). For test brokers only: it removes the protection TLS gives, and the
    /// worker logs a warning at start when it is on.
    /// </summary>
    public bool TlsAllowInvalidCertificates { get; set; }

    /// <summary>The request queues: <see cref="RequestQueue"/> split at commas.</summary>
    public IReadOnlyList<string> RequestQueues => RequestQueue.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);

    /// <summary>The dead-letter queue of the first request queue (empty while RequestQueue is; validation reports that).</summary>
    public string DeadLetterQueueName => RequestQueues is [string first, ..] ? DeadLetterQueueFor(first) : string.Empty;

    public string DeadLetterQueueFor(string requestQueue) => string.IsNullOrEmpty(DeadLetterQueue) ? $"{requestQueue}.dead" : DeadLetterQueue;
}
