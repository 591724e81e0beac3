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
        byte[] body = System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(
            new Dictionary<string, Dictionary<string, string>> { ["error"] = new() { ["reason"] = reason, ["dead_letter_queue"] = deadLetterQueue } });
        return publisher.PublishAsync(string.Empty, replyTo, properties, body, cancellationToken);
    }
}
