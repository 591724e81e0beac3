using QueueInference.Pipeline.Messaging;
using RabbitMQ.Client;

namespace QueueInference.Cli.DeadLetters;

/// <summary>
/// Reads and replays a dead-letter queue. Reading uses basic.get without acks and then closes the
/// channel, so every message goes back to its place (RabbitMQ requeues unacked messages at their
/// original position where it can): listing never changes the queue.
/// </summary>
public sealed class DeadLetterBrowser(IConnection connection, string queue)
{
    /// <summary>Headers the app added while the message failed; a replay starts it with a clean slate.</summary>
    private static readonly string[] FailureHeaders =
    [
        DeadLetterHeaders.Reason, DeadLetterHeaders.OriginalQueue, DeadLetterHeaders.Timestamp,
        DeadLetterHeaders.LastError, DeadLetterHeaders.Result, RetryHeaders.Attempts, RetryHeaders.Redeliveries,
        Constants.PublishSequenceNumberHeader, // the client's confirm bookkeeping from the publish that dead-lettered it
    ];

    public async Task<uint> CountAsync(CancellationToken cancellationToken)
    {
        await using IChannel channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
        return (await channel.QueueDeclarePassiveAsync(queue, cancellationToken)).MessageCount;
    }

    /// <summary>The first <paramref name="max"/> messages, left in the queue.</summary>
    public async Task<List<DeadLetterEntry>> PeekAsync(int max, CancellationToken cancellationToken)
    {
        var entries = new List<DeadLetterEntry>();
        await using IChannel channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
        while (entries.Count < max && await channel.BasicGetAsync(queue, autoAck: false, cancellationToken) is { } message)
        {
            entries.Add(new DeadLetterEntry(entries.Count + 1, message.Body.ToArray(), message.BasicProperties));
        }

        await channel.CloseAsync(cancellationToken);
        return entries;
    }

    /// <summary>
    /// Moves up to <paramref name="max"/> messages (with <paramref name="reason"/>, when given) back
    /// to their original queue or <paramref name="target"/>: each is republished with its original
    /// properties minus the failure headers, confirmed by the broker, and only then removed here.
    /// </summary>
    public async Task<ReplaySummary> ReplayAsync(string? target, string? reason, int max, bool dryRun, Action<DeadLetterEntry, string> onReplayed, CancellationToken cancellationToken)
    {
        await using IChannel channel = await connection.CreateChannelAsync(
            new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true, outstandingPublisherConfirmationsRateLimiter: null),
            cancellationToken);
        int replayed = 0;
        int skipped = 0;
        while (replayed < max && await channel.BasicGetAsync(queue, autoAck: false, cancellationToken) is { } message)
        {
            var entry = new DeadLetterEntry(replayed + skipped + 1, message.Body.ToArray(), message.BasicProperties);
            string? destination = target ?? entry.OriginalQueue;
            if ((reason is not null && entry.Reason != reason) || destination is null || dryRun)
            {
                // Held unacked until the channel closes, so the loop does not meet it again.
                skipped++;
                if (dryRun && destination is not null && (reason is null || entry.Reason == reason))
                {
                    onReplayed(entry, destination);
                }

                continue;
            }

            var properties = new BasicProperties(message.BasicProperties);
            if (properties.Headers is not null)
            {
                var headers = new Dictionary<string, object?>(properties.Headers);
                foreach (string header in FailureHeaders)
                {
                    headers.Remove(header);
                }

                properties.Headers = headers;
            }

            await channel.BasicPublishAsync(string.Empty, destination, mandatory: true, properties, message.Body, cancellationToken);
            await channel.BasicAckAsync(message.DeliveryTag, multiple: false, cancellationToken);
            replayed++;
            onReplayed(entry, destination);
        }

        await channel.CloseAsync(cancellationToken);
        return new ReplaySummary(replayed, skipped);
    }
}
