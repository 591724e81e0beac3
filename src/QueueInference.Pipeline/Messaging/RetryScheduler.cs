using Microsoft.Extensions.Options;
using QueueInference.Pipeline.Observability;
using RabbitMQ.Client;

namespace QueueInference.Pipeline.Messaging;

/// <summary>
/// Retries with exponential backoff that survive restarts and never block a consumer: a failed
/// request is republished, with its attempt count in a header, to a retry queue whose
/// message TTL is the delay and whose dead-letter target is the request queue, so the broker
/// returns it after the delay (https://www.rabbitmq.com/docs/ttl, https://www.rabbitmq.com/docs/dlx).
/// Retry queues are the app's own (<c>&lt;request&gt;.retry.&lt;ms&gt;</c>); the request queue is
/// never declared with arguments. A redelivered request whose consumer died (and that no attempt in
/// this process knows) is put back with a redelivery count before it is processed again, and one
/// redelivered too often is dead-lettered as poison instead of crashing the next pod. This works on
/// every queue type and broker version alike (classic queues count nothing, and what a quorum queue's
/// x-delivery-count counts changed in 4.0 and 4.3); each republished copy starts the broker's own
/// count afresh, so a quorum queue's x-delivery-limit only acts on returns this app never saw.
/// </summary>
public sealed class RetryScheduler(
    ConfirmingPublisher publisher,
    BrokerTopology topology,
    DeadLetterPublisher deadLetters,
    IOptions<RetryOptions> retryOptions,
    IOptions<RabbitMQOptions> rabbitOptions,
    PipelineMetrics metrics)
{
    private readonly RetryOptions _options = retryOptions.Value;
    private readonly string _firstRequestQueue = rabbitOptions.Value.RequestQueues[0];
    private readonly OwnQueueType _queueType = rabbitOptions.Value.QueueType;

    public const string ExhaustedReason = "retries-exhausted";

    public const string PoisonReason = "redelivered-too-often";

    /// <summary>Schedules another attempt of a failed request, or dead-letters it after the last.</summary>
    public async ValueTask<FailureOutcome> RetryOrDeadLetterAsync(ReadOnlyMemory<byte> body, IReadOnlyBasicProperties properties, string? sourceQueue, Exception error, CancellationToken cancellationToken)
    {
        // A header this app could not have written counts as out of attempts: forged counts never buy more retries.
        int failures = (RetryHeaders.Read(properties.Headers, RetryHeaders.Attempts) ?? _options.MaxAttempts) + 1;
        if (failures >= _options.MaxAttempts)
        {
            await deadLetters.PublishAsync(body, properties, sourceQueue, ExhaustedReason, error, default, cancellationToken);
            return FailureOutcome.DeadLettered;
        }

        string requestQueue = sourceQueue ?? _firstRequestQueue;
        TimeSpan delay = _options.DelayBefore(failures);
        string retryQueue = $"{requestQueue}.retry.{(long)delay.TotalMilliseconds}";
        await topology.EnsureOwnQueueOnceAsync(publisher.GetConnectionAsync, retryQueue, BrokerTopology.RetryQueueArguments(_queueType, delay, requestQueue), cancellationToken);

        BasicProperties copy = CopyWith(properties, RetryHeaders.Attempts, failures);
        copy.Headers![DeadLetterHeaders.LastError] = $"{error.GetType().Name}: {error.Message}";
        await publisher.PublishAsync(string.Empty, retryQueue, copy, body, cancellationToken);
        metrics.Retried();
        return FailureOutcome.Retried;
    }

    /// <summary>Puts a redelivered request back with its redelivery count raised, or dead-letters it as poison.</summary>
    public async ValueTask<FailureOutcome> RequeueOrDeadLetterAsync(ReadOnlyMemory<byte> body, IReadOnlyBasicProperties properties, string? sourceQueue, CancellationToken cancellationToken)
    {
        int redeliveries = (RetryHeaders.Read(properties.Headers, RetryHeaders.Redeliveries) ?? _options.MaxRedeliveries) + 1;
        if (redeliveries > _options.MaxRedeliveries)
        {
            await deadLetters.PublishAsync(body, properties, sourceQueue, PoisonReason, null, default, cancellationToken);
            return FailureOutcome.DeadLettered;
        }

        await publisher.PublishAsync(string.Empty, sourceQueue ?? _firstRequestQueue, CopyWith(properties, RetryHeaders.Redeliveries, redeliveries), body, cancellationToken);
        metrics.Requeued();
        return FailureOutcome.Requeued;
    }

    private static BasicProperties CopyWith(IReadOnlyBasicProperties original, string header, int value)
    {
        var headers = original.Headers is { } existing ? new Dictionary<string, object?>(existing) : [];
        headers[header] = value;
        // A quorum queue's own delivery counters belong to the message the broker delivered, not to this new copy.
        headers.Remove("x-delivery-count");
        headers.Remove("x-acquired-count");
        return new BasicProperties(original) { Headers = headers, Persistent = true };
    }
}
