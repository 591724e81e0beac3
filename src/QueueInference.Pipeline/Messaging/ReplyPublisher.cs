using RabbitMQ.Client;

namespace QueueInference.Pipeline.Messaging;

/// <summary>
/// Publishes a reply to the default exchange with the request's reply_to as routing key and its
/// correlation_id, as the seed's worker did. Mandatory, so a reply queue that does not exist is
/// reported (as <see cref="RabbitMQ.Client.Exceptions.PublishReturnException"/>) instead of
/// silently dropped by the broker.
/// </summary>
public sealed class ReplyPublisher(IMessagePublisher publisher, Microsoft.Extensions.Options.IOptions<ReplyOptions> options)
{
    private readonly bool _persistent = options.Value.Persistent;

    /// <summary>The header an error reply carries its reason in.</summary>
    public const string ErrorReasonHeader = "x-error-reason";

    /// <param name="headers">Null for the seed's replies; trace context for a request that carried some (<see cref="Observability.TraceContextHeaders.ForReply"/>).</param>
    public ValueTask PublishAsync(string replyTo, string? correlationId, ReadOnlyMemory<byte> body, IDictionary<string, object?>? headers, CancellationToken cancellationToken)
    {
        var properties = new BasicProperties { CorrelationId = correlationId, ContentType = "application/json", Persistent = _persistent, Headers = headers };
        return publisher.PublishAsync(string.Empty, replyTo, properties, body, cancellationToken);
    }

    /// <summary>Tells a requester its request was rejected and where it went.</summary>
    public ValueTask PublishErrorAsync(string replyTo, string? correlationId, string reason, string deadLetterQueue, CancellationToken cancellationToken)
    {
        var properties = new BasicProperties
        {
            CorrelationId = correlationId,
            ContentType = "application/json",
            Headers = new Dictionary<string, object?> { [ErrorReasonHeader] = reason },
        };
        return publisher.PublishAsync(string.Empty, replyTo, properties, ErrorBody(reason, deadLetterQueue), cancellationToken);
    }

    // {"error":{"reason":...,"dead_letter_queue":...}}, written without the reflection-based serializer (the worker is native code).
    private static byte[] ErrorBody(string reason, string deadLetterQueue)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(128);
        using (var writer = new System.Text.Json.Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteStartObject("error"u8);
            writer.WriteString("reason"u8, reason);
            writer.WriteString("dead_letter_queue"u8, deadLetterQueue);
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }
}
