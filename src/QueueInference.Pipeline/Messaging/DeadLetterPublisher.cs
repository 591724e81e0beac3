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
public sealed class DeadLetterPublisher(ConfirmingPublisher publisher, IOptions<RabbitMQOptions> options, PipelineMetrics metrics, TimeProvider timeProvider)
{
    private readonly RabbitMQOptions _options = options.Value;
    private volatile bool _declared;

    public string QueueName => _options.DeadLetterQueueName;

    public async ValueTask PublishAsync(
        ReadOnlyMemory<byte> body,
        IReadOnlyBasicProperties? original,
        string reason,
        Exception? lastError,
        ReadOnlyMemory<byte> result,
        CancellationToken cancellationToken)
    {
        if (!_declared)
        {
            await publisher.DeclareDurableQueueAsync(QueueName, arguments: null, cancellationToken);
            _declared = true;
        }

        var headers = original?.Headers is { } existing ? new Dictionary<string, object?>(existing) : [];
        headers[DeadLetterHeaders.Reason] = reason;
        headers[DeadLetterHeaders.OriginalQueue] = _options.RequestQueue;
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
        await publisher.PublishAsync(string.Empty, QueueName, properties, body, cancellationToken);
        metrics.DeadLettered(reason);
    }

    private static string Truncate(string text, int maxBytes) =>
        Encoding.UTF8.GetByteCount(text) <= maxBytes ? text : text[..Math.Min(text.Length, maxBytes / 4)] + "…";
}
