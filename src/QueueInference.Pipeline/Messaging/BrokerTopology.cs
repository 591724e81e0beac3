using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace QueueInference.Pipeline.Messaging;

/// <summary>
/// Finds queues as the operator declared them and declares only what is missing. A declare with other
/// arguments than the existing queue's fails with PRECONDITION_FAILED, so the request queue (a quorum
/// queue, or one with x-max-length, ...) is looked up passively and consumed as it is; only when it is
/// absent is it declared, exactly as the seed clients declare it: durable, no arguments. The app's own
/// retry and dead-letter queues are likewise used as they are when present, and otherwise declared with
/// <c>RabbitMQ:QueueType</c>. Each lookup runs on a channel of its own, because a failed one closes it.
/// </summary>
public sealed partial class BrokerTopology(ILogger<BrokerTopology> logger)
{
    // One declare per own queue at a time: after an outage thousands of failed requests need the same retry queue at once.
    private readonly ConcurrentDictionary<string, Lazy<Task>> _ownQueues = new();

    /// <summary>
    /// <see cref="EnsureOwnQueueAsync"/> once per process for each queue, however many callers need it at the same
    /// moment; a declare that failed is tried again by the next caller.
    /// </summary>
    public async Task EnsureOwnQueueOnceAsync(Func<CancellationToken, ValueTask<IConnection>> connection, string queue, IDictionary<string, object?> arguments, CancellationToken cancellationToken)
    {
        Lazy<Task> declare = _ownQueues.GetOrAdd(queue, name => new Lazy<Task>(() => DeclareSharedAsync(connection, name, arguments)));
        try
        {
            await declare.Value.WaitAsync(cancellationToken);
        }
        catch when (declare.Value.IsFaulted || declare.Value.IsCanceled)
        {
            _ownQueues.TryRemove(new KeyValuePair<string, Lazy<Task>>(queue, declare));
            throw;
        }
    }

    /// <summary>Bounded by the client's own timeouts rather than one caller's token, since every caller waits for it.</summary>
    private async Task DeclareSharedAsync(Func<CancellationToken, ValueTask<IConnection>> connection, string queue, IDictionary<string, object?> arguments) =>
        await EnsureOwnQueueAsync(await connection(CancellationToken.None), queue, arguments, CancellationToken.None);

    /// <summary>Makes sure the request queue exists, declaring it as the seed clients do only when it does not.</summary>
    public async Task EnsureRequestQueueAsync(IConnection connection, string queue, CancellationToken cancellationToken)
    {
        if (await ExistsAsync(connection, queue, cancellationToken))
        {
            return;
        }

        try
        {
            await using IChannel channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
            await channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false, arguments: null, cancellationToken: cancellationToken);
            LogDeclaredRequestQueue(logger, queue);
        }
        catch (OperationInterruptedException ex) when (ex.ShutdownReason?.ReplyCode == Constants.PreconditionFailed)
        {
            // Someone declared it with arguments of their own in the meantime: theirs is the queue to consume.
            if (!await ExistsAsync(connection, queue, cancellationToken))
            {
                throw;
            }
        }
    }

    /// <summary>Makes sure a queue of the app's own exists, declaring it with <paramref name="arguments"/> only when it does not.</summary>
    public async Task EnsureOwnQueueAsync(IConnection connection, string queue, IDictionary<string, object?> arguments, CancellationToken cancellationToken)
    {
        if (await ExistsAsync(connection, queue, cancellationToken))
        {
            return;
        }

        try
        {
            await using IChannel channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
            await channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false, arguments: arguments, cancellationToken: cancellationToken);
            LogDeclaredOwnQueue(logger, queue, arguments.TryGetValue("x-queue-type", out object? type) ? type : "classic");
        }
        catch (OperationInterruptedException ex) when (ex.ShutdownReason?.ReplyCode == Constants.PreconditionFailed)
        {
            // Another pod declared it at the same moment with other arguments (an older version): use it.
            if (!await ExistsAsync(connection, queue, cancellationToken))
            {
                throw;
            }
        }
    }

    /// <summary>
    /// A retry queue: messages wait out their TTL, then the broker dead-letters them back to the request
    /// queue. As a quorum queue it dead-letters at least once (3.10+), which needs reject-publish overflow.
    /// </summary>
    public static Dictionary<string, object?> RetryQueueArguments(OwnQueueType type, TimeSpan delay, string requestQueue)
    {
        var arguments = new Dictionary<string, object?>
        {
            ["x-message-ttl"] = (long)delay.TotalMilliseconds,
            ["x-dead-letter-exchange"] = string.Empty,
            ["x-dead-letter-routing-key"] = requestQueue,
        };
        if (type == OwnQueueType.Quorum)
        {
            arguments["x-queue-type"] = "quorum";
            arguments["x-dead-letter-strategy"] = "at-least-once";
            arguments["x-overflow"] = "reject-publish";
        }

        return arguments;
    }

    public static Dictionary<string, object?> DeadLetterQueueArguments(OwnQueueType type) =>
        type == OwnQueueType.Quorum ? new() { ["x-queue-type"] = "quorum" } : [];

    private static async Task<bool> ExistsAsync(IConnection connection, string queue, CancellationToken cancellationToken)
    {
        try
        {
            await using IChannel channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
            await channel.QueueDeclarePassiveAsync(queue, cancellationToken);
            return true;
        }
        catch (OperationInterruptedException ex) when (BrokerErrors.IsNotFound(ex))
        {
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Request queue {Queue} did not exist: declared it durable with no arguments, as the seed clients do")]
    private static partial void LogDeclaredRequestQueue(ILogger logger, string queue);

    [LoggerMessage(Level = LogLevel.Information, Message = "Declared {Queue} ({Type} queue)")]
    private static partial void LogDeclaredOwnQueue(ILogger logger, string queue, object? type);
}
