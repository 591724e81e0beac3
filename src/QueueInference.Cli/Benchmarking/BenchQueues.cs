using System.Text.Json;
using QueueInference.Cli.DeadLetters;
using QueueInference.Cli.LoadTesting;
using QueueInference.Pipeline.Messaging;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace QueueInference.Cli.Benchmarking;

/// <summary>
/// The benchmark's own queue handling, each call on a fresh connection (a blip closes the others):
/// the request queue as a client declares it, purges, and the dead-letter queue counted and drained.
/// </summary>
public static class BenchQueues
{
    /// <summary>
    /// Declares the benchmark's own request queue <paramref name="queue"/> durable with <paramref name="arguments"/>
    /// (null: plain, as the seed clients do). One left by an earlier run with other arguments (e.g. another
    /// backlog's <c>x-max-length</c>) is deleted and declared again: its contents are purged before each use anyway.
    /// </summary>
    public static async Task DeclareAsync(string broker, string queue, IDictionary<string, object?>? arguments, CancellationToken cancellationToken)
    {
        try
        {
            await DeclareOnceAsync(broker, queue, arguments, cancellationToken);
        }
        catch (OperationInterruptedException exception) when (exception.ShutdownReason?.ReplyCode == 406)
        {
            await using IConnection connection = await BrokerConnections.OpenAsync(broker, "qi-bench-declare", cancellationToken);
            await using IChannel channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
            await channel.QueueDeleteAsync(queue, ifUnused: false, ifEmpty: false, cancellationToken: cancellationToken);
            await DeclareOnceAsync(broker, queue, arguments, cancellationToken);
        }
    }

    private static async Task DeclareOnceAsync(string broker, string queue, IDictionary<string, object?>? arguments, CancellationToken cancellationToken)
    {
        await using IConnection connection = await BrokerConnections.OpenAsync(broker, "qi-bench-declare", cancellationToken);
        await using IChannel channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
        await channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false, arguments: arguments, cancellationToken: cancellationToken);
    }

    /// <summary>Empties <paramref name="queue"/> when it exists (the worker declares dead-letter queues; before its first start there is none).</summary>
    public static async Task PurgeIfExistsAsync(string broker, string queue, CancellationToken cancellationToken)
    {
        await using IConnection connection = await BrokerConnections.OpenAsync(broker, "qi-bench-purge", cancellationToken);
        await using IChannel channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
        try
        {
            await channel.QueueDeclarePassiveAsync(queue, cancellationToken);
            await channel.QueuePurgeAsync(queue, cancellationToken);
        }
        catch (OperationInterruptedException exception) when (exception.ShutdownReason?.ReplyCode == 404)
        {
            // Nothing to empty.
        }
    }

    /// <summary>Messages ready in <paramref name="queue"/>: 0 when it does not exist, null when the broker cannot be asked now.</summary>
    public static async Task<long?> CountAsync(string broker, string queue, CancellationToken cancellationToken)
    {
        try
        {
            await using IConnection connection = await BrokerConnections.OpenAsync(broker, "qi-bench-count", cancellationToken);
            await using IChannel channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
            return (await channel.QueueDeclarePassiveAsync(queue, cancellationToken)).MessageCount;
        }
        catch (OperationInterruptedException exception) when (exception.ShutdownReason?.ReplyCode == 404)
        {
            return 0;
        }
        catch (Exception exception) when (exception is BrokerUnreachableException or AlreadyClosedException or OperationInterruptedException)
        {
            return null;
        }
    }

    /// <summary>Takes every entry out of <paramref name="deadLetterQueue"/> and matches it with the run's requests.</summary>
    public static async Task<DeadLetterTally> DrainDeadLettersAsync(string broker, string deadLetterQueue, MessageLedger ledger, CancellationToken cancellationToken)
    {
        await using IConnection connection = await BrokerConnections.OpenAsync(broker, "qi-bench-dead-letters", cancellationToken);
        await using IChannel channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
        try
        {
            await channel.QueueDeclarePassiveAsync(deadLetterQueue, cancellationToken);
        }
        catch (OperationInterruptedException exception) when (exception.ShutdownReason?.ReplyCode == 404)
        {
            return DeadLetterTally.None;
        }

        long entries = 0;
        var unreplied = new HashSet<Guid>();
        var reasons = new SortedDictionary<string, long>(StringComparer.Ordinal);
        while (await channel.BasicGetAsync(deadLetterQueue, autoAck: true, cancellationToken) is { } message)
        {
            entries++;
            string reason = new DeadLetterEntry(0, message.Body, message.BasicProperties).Reason ?? "(none)";
            reasons[reason] = reasons.GetValueOrDefault(reason) + 1;
            if (TryReadMessageId(message.Body.Span, out Guid id) && ledger.WasSent(id) && !ledger.HasReply(id))
            {
                unreplied.Add(id);
            }
        }

        return new DeadLetterTally(entries, unreplied.Count, reasons);
    }

    /// <summary>The <c>message_id</c> of a seed-format request body (a dead letter keeps the original body).</summary>
    public static bool TryReadMessageId(ReadOnlySpan<byte> body, out Guid messageId)
    {
        messageId = Guid.Empty;
        try
        {
            var reader = new Utf8JsonReader(body);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                bool isId = reader.ValueTextEquals("message_id"u8);
                reader.Read();
                if (isId)
                {
                    return reader.TokenType == JsonTokenType.String && Guid.TryParse(reader.GetString(), out messageId);
                }

                reader.Skip();
            }
        }
        catch (JsonException)
        {
            // Not JSON: a dead letter of a malformed request.
        }

        return false;
    }

    /// <summary>The worker's dead-letter queue for <paramref name="requestQueue"/> (its default, RabbitMQ:DeadLetterQueue unset).</summary>
    public static string DeadLetterQueueOf(string requestQueue) => new RabbitMQOptions().DeadLetterQueueFor(requestQueue);
}
