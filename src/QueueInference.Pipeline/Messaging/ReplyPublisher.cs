using RabbitMQ.Client;

namespace QueueInference.Pipeline.Messaging;

/// <summary>
/// Publishes a reply to the default exchange with the request's reply_to as routing key and its
/// correlation_id, as the seed's worker did. Mandatory, so a reply queue that does not exist is
/// reported (as <see cref="RabbitMQ.Client.Exceptions.PublishReturnException"/>) instead of
/// silently dropped by the broker.
/// </summary>
public sealed class ReplyPublisher(ConfirmingPublisher publisher)
{
    public ValueTask PublishAsync(string replyTo, string? correlationId, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        var properties = new BasicProperties { CorrelationId = correlationId, ContentType = "application/json" };
        return publisher.PublishAsync(string.Empty, replyTo, properties, body, cancellationToken);
    }
}
