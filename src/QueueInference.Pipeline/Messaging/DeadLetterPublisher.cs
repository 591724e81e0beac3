using System.Text;
using Microsoft.Extensions.Options;
using QueueInference.Pipeline.Observability;
using RabbitMQ.Client;

namespace QueueInference.Pipeline.Messaging;

/// <summary>
/// Moves a message the app will not reply to into the dead-letter queue, with the reason, the
/// original queue and the time in headers, and the original body and properties intact. The
/// request queue is never declared with x-dead-letter arguments, because seed clients declare it
/// plainly and a declare with other arguments fails with PRECONDITION_FAILED.
/// </summary>
public sealed class DeadLetterPublisher(ConfirmingPublisher publisher, BrokerTopology topology, IOptions<RabbitMQOptions> options, PipelineMetrics metrics, TimeProvider timeProvider)
{
    private readonly RabbitMQOptions _options = options.Value;

    /// <summary>The dead-letter queue for messages from <paramref name="sourceQueue"/> (null: the first request queue).</summary>
    public string QueueNameFor(string? sourceQueue) => _options.DeadLetterQueueFor(sourceQueue ?? _options.RequestQueues[0]);

    public async ValueTask PublishAsync(
        ReadOnlyMemory<byte> body,
        IReadOnlyBasicProperties? original,
        string? sourceQueue,
        string reason,
        Exception? lastError,
        ReadOnlyMemory<byte> result,
        CancellationToken cancellationToken)
    {
        string source = sourceQueue ?? _options.RequestQueues[0];
        string queue = _options.DeadLetterQueueFor(source);
        await topology.EnsureOwnQueueOnceAsync(publisher.GetConnectionAsync, queue, BrokerTopology.DeadLetterQueueArguments(_options.QueueType), cancellationToken);

        var headers = original?.Headers is { } existing ? new Dictionary<string, object?>(existing) : [];
        headers[DeadLetterHeaders.Reason] = reason;
        headers[DeadLetterHeaders.OriginalQueue] = source;
        headers[DeadLetterHeaders.Timestamp] = timeProvider.GetUtcNow().ToUnixTimeMilliseconds() / 1000.0;
        if (lastError is not null)
        {
            headers[DeadLetterHeaders.LastError] = Truncate($"{lastError.GetType().Name}: {lastError.Message}", 1024);
        }

        if (!result.IsEmpty)
        {
            headers[DeadLetterHeaders.Result] = result.ToArray();
        }

        var properties = new BasicProperties
        {
            Persistent = true,
            Headers = headers,
            ReplyTo = original?.ReplyTo,
            CorrelationId = original?.CorrelationId,
            MessageId = original?.MessageId,
            ContentType = original?.ContentType,
            ContentEncoding = original?.ContentEncoding,
            Type = original?.Type,
        };
        await publisher.PublishAsync(string.Empty, queue, properties, body, cancellationToken);
        metrics.DeadLettered(reason);
    }

    private static string Truncate(string text, int maxBytes) =>
        Encoding.UTF8.GetByteCount(text) <= maxBytes ? text : text[..Math.Min(text.Length, maxBytes / 4)] + "…";
}
