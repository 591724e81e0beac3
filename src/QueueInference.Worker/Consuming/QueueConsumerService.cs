using System.Buffers;
using System.Diagnostics;
using Microsoft.Extensions.Options;
using QueueInference.Pipeline.Inference;
using QueueInference.Pipeline.Messaging;
using QueueInference.Pipeline.Observability;
using QueueInference.Pipeline.Processing;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;
using RabbitMQ.Client.Exceptions;

namespace QueueInference.Worker.Consuming;

/// <summary>
/// Consumes the request queue with up to <see cref="ConsumerOptions.MaxInFlight"/> requests in
/// flight and acks each one only after the pipeline has a confirmed reply or dead-letter entry
/// for it (at-least-once). On stop it cancels its consumers, lets in-flight requests finish for up
/// to <see cref="ConsumerOptions.DrainTimeout"/>, then closes; whatever is still unacked is
/// redelivered by the broker to another consumer.
/// </summary>
public sealed partial class QueueConsumerService(
    IServiceProvider services,
    ModelReadiness model,
    RetryScheduler retries,
    ConfirmingPublisher publisher,
    RabbitMqConnectionFactory connections,
    ConsumerState state,
    PipelineMetrics metrics,
    IOptions<ConsumerOptions> consumerOptions,
    IOptions<RabbitMQOptions> rabbitOptions,
    TimeProvider timeProvider,
    ILogger<QueueConsumerService> logger) : BackgroundService
{
    private readonly ConsumerOptions _options = consumerOptions.Value;
    private readonly RabbitMQOptions _rabbit = rabbitOptions.Value;

    private const int RampConsumers = 10;

    // Resolved once the model is loaded: taking it in the constructor would load the model while the host
    // builds its services, before anything else could start alongside it.
    private InferencePipeline _pipeline = null!;

    // Cancels in-flight work only when the drain time runs out, never on the stop signal itself.
    private readonly CancellationTokenSource _abandon = new();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var consumers = new List<(DeliveryAcknowledger Channel, string Tag)>();
        IConnection? connection = null;
        try
        {
            // The reply channel opens alongside the consumer's, so the first reply does not wait for it.
            Task publisherOpened = OpenPublisherAsync(stoppingToken);
            while (true)
            {
                connection = await ConnectAsync(stoppingToken);
                try
                {
                    await DeclareRequestQueueAsync(connection, stoppingToken);
                    if (!await WaitForModelAsync(stoppingToken))
                    {
                        return;
                    }

                    await StartConsumersAsync(connection, consumers, publisherOpened, stoppingToken);
                    break;
                }
                catch (Exception ex) when (IsConnectionFailure(ex))
                {
                    // Lost the broker half-way through setting up: the client would recover only what was
                    // set up so far, so drop this connection and set everything up again on a new one.
                    LogSetupInterrupted(logger, ex.Message, _options.ConnectRetryDelay);
                    state.IsConsuming = false;
                    consumers.Clear();
                    await CloseQuietlyAsync(connection);
                    connection = null;
                    await Task.Delay(_options.ConnectRetryDelay, timeProvider, stoppingToken);
                }
            }

            await Task.Delay(Timeout.Infinite, stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stop requested: fall through to the drain.
        }
        finally
        {
            await DrainAsync(consumers);
            foreach (DeliveryAcknowledger channel in consumers.Select(c => c.Channel).Distinct())
            {
                await CloseQuietlyAsync(channel.Channel);
                channel.Dispose();
            }

            if (connection is not null)
            {
                await CloseQuietlyAsync(connection);
            }

            state.IsConnected = false;
            LogStopped(logger, state.Replied, state.DeadLettered, state.Failed, state.Retried, state.Requeued, state.InFlight);
        }
    }

    /// <summary>
    /// Starts consumers that share the prefetch, one after another across Consumer:PrefetchRampUp:
    /// a backlog then arrives spread over that time instead of all at once (basic.qos applies to
    /// consumers started after it, so a ramp needs new consumers rather than a raised limit).
    /// Each request queue (partition) gets an equal share of the consumers, each on its own channel.
    /// </summary>
    private async Task StartConsumersAsync(IConnection connection, List<(DeliveryAcknowledger Channel, string Tag)> consumers, Task publisherOpened, CancellationToken stoppingToken)
    {
        IReadOnlyList<string> queues = _rabbit.RequestQueues;
        int perQueue = Math.Max(
            _options.PrefetchRampUp > TimeSpan.Zero ? RampConsumers : 1,
            (int)Math.Ceiling(_options.MaxInFlight / (double)queues.Count / ConsumerOptions.MaxPrefetchPerConsumer));
        // Never more consumers than the limit allows, and the limit split exactly (the first
        // consumers take the remainder), so the prefetches add up to MaxInFlight, no more.
        perQueue = Math.Max(1, Math.Min(perQueue, _options.MaxInFlight / queues.Count));
        int consumerCount = queues.Count * perQueue;
        int prefetch = _options.MaxInFlight / consumerCount;
        int remainder = _options.MaxInFlight % consumerCount;
        TimeSpan stagger = _options.PrefetchRampUp / consumerCount;
        for (int i = 0; i < consumerCount; i++)
        {
            // A channel per consumer: the broker runs each channel as its own process, so deliveries and acks
            // of a burst are handled in parallel rather than all through one. Dispatch concurrency 1 is
            // enough: the callback only copies the body and starts the work.
            var acknowledger = new DeliveryAcknowledger(await connection.CreateChannelAsync(
                new CreateChannelOptions(publisherConfirmationsEnabled: false, publisherConfirmationTrackingEnabled: false, consumerDispatchConcurrency: 1),
                stoppingToken));
            IChannel channel = acknowledger.Channel;
            string queue = queues[i % queues.Count];
            await channel.BasicQosAsync(prefetchSize: 0, prefetchCount: (ushort)Math.Max(1, prefetch + (i < remainder ? 1 : 0)), global: false, stoppingToken);
            var consumer = new AsyncEventingBasicConsumer(channel);
            consumer.ReceivedAsync += (_, delivery) => OnReceivedAsync(acknowledger, delivery, queue);
            string tag = await channel.BasicConsumeAsync(queue, autoAck: false, consumer, stoppingToken);
            consumers.Add((acknowledger, tag));
            if (i == queues.Count - 1)
            {
                await publisherOpened;
                state.IsConsuming = true;
                LogConsuming(logger, _rabbit.RequestQueue, consumerCount, prefetch, _options.MaxInFlight);
            }

            if (i < consumerCount - 1 && stagger > TimeSpan.Zero)
            {
                await Task.Delay(stagger, timeProvider, stoppingToken);
            }
        }
    }

    /// <summary>False when the model failed to load: the host's start fails with that error, and nothing is consumed.</summary>
    private async Task<bool> WaitForModelAsync(CancellationToken stoppingToken)
    {
        try
        {
            await model.Loaded.WaitAsync(stoppingToken);
        }
        catch (Exception) when (model.Loaded.IsFaulted)
        {
            return false;
        }

        _pipeline = services.GetRequiredService<InferencePipeline>();
        return true;
    }

    private static bool IsConnectionFailure(Exception ex) =>
        ex is AlreadyClosedException or OperationInterruptedException or BrokerUnreachableException or IOException or TimeoutException;

    private async Task<IConnection> ConnectAsync(CancellationToken stoppingToken)
    {
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                IConnection connection = await connections.CreateConnectionAsync("consumer", stoppingToken);
                connection.ConnectionShutdownAsync += (_, args) =>
                {
                    state.IsConnected = false;
                    if (args.Initiator != ShutdownInitiator.Application)
                    {
                        LogConnectionLost(logger, args.ReplyText);
                    }

                    return Task.CompletedTask;
                };
                connection.RecoverySucceededAsync += (_, _) =>
                {
                    state.IsConnected = true;
                    LogRecovered(logger, connections.RedactedEndpoint);
                    return Task.CompletedTask;
                };
                state.IsConnected = true;
                LogConnected(logger, connections.RedactedEndpoint, connection.ClientProvidedName);
                return connection;
            }
            catch (Exception ex) when (IsConnectionFailure(ex))
            {
                LogConnectFailed(logger, connections.RedactedEndpoint, attempt, _options.ConnectRetryDelay, ex.InnerException?.Message ?? ex.Message);
                await Task.Delay(_options.ConnectRetryDelay, timeProvider, stoppingToken);
            }
        }
    }

    private async Task OpenPublisherAsync(CancellationToken stoppingToken)
    {
        try
        {
            await publisher.OpenAsync(stoppingToken);
        }
        catch (Exception ex) when (ex is BrokerUnreachableException or OperationInterruptedException or IOException)
        {
            // Not fatal: the first publish opens it, and the consumer's own connect loop reports the broker.
            LogPublisherDeferred(logger, ex.Message);
        }
    }

    /// <summary>Declares the request queues exactly as seed clients do (durable, no arguments), so either side may come first.</summary>
    private async Task DeclareRequestQueueAsync(IConnection connection, CancellationToken cancellationToken)
    {
        await using IChannel channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
        foreach (string queue in _rabbit.RequestQueues)
        {
            await channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false, arguments: null, cancellationToken: cancellationToken);
        }
    }

    private Task OnReceivedAsync(DeliveryAcknowledger channel, BasicDeliverEventArgs delivery, string queue)
    {
        DateTimeOffset pickedUp = timeProvider.GetUtcNow();
        channel.Delivered(delivery.DeliveryTag);

        // The client reuses the body's memory once this callback returns.
        byte[] body = ArrayPool<byte>.Shared.Rent(delivery.Body.Length);
        delivery.Body.Span.CopyTo(body);
        var message = new InboundMessage(body.AsMemory(0, delivery.Body.Length), delivery.BasicProperties, pickedUp, queue);

        state.Started();
        _ = ProcessAsync(channel, delivery.DeliveryTag, delivery.Redelivered, message, body);
        return Task.CompletedTask;
    }

    private async Task ProcessAsync(DeliveryAcknowledger channel, ulong deliveryTag, bool redelivered, InboundMessage message, byte[] rentedBody)
    {
        try
        {
            if (redelivered)
            {
                // A consumer died holding this request (crash, kill, lost connection). It may be the
                // cause, so count that in the message before processing it again.
                FailureOutcome guarded = await retries.RequeueOrDeadLetterAsync(message.Body, message.Properties, message.Queue, _abandon.Token);
                state.Count(guarded);
                if (guarded == FailureOutcome.DeadLettered)
                {
                    LogPoison(logger, message.Properties.CorrelationId);
                }

                await AckAsync(channel, deliveryTag);
                return;
            }

            ProcessingOutcome outcome = await _pipeline.ProcessAsync(message, _abandon.Token);
            if (outcome.Status == ProcessingStatus.Replied)
            {
                state.CountReplied();
            }
            else
            {
                state.CountDeadLettered();
            }

            await AckAsync(channel, deliveryTag);
        }
        catch (OperationCanceledException) when (_abandon.IsCancellationRequested)
        {
            // The drain time ran out: left unacked, so the broker redelivers it when the channel closes.
        }
        catch (Exception ex)
        {
            state.CountFailed(ex);
            LogFailed(logger, ex, message.Properties.CorrelationId);
            await SettleFailureAsync(channel, deliveryTag, message, ex);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rentedBody);
            state.Ended();
        }
    }

    /// <summary>Parks a failed request for a retry (or dead-letters it after the last attempt), then acks it.</summary>
    private async Task SettleFailureAsync(DeliveryAcknowledger channel, ulong deliveryTag, InboundMessage message, Exception error)
    {
        try
        {
            FailureOutcome outcome = await retries.RetryOrDeadLetterAsync(message.Body, message.Properties, message.Queue, error, _abandon.Token);
            state.Count(outcome);
            await AckAsync(channel, deliveryTag);
        }
        catch (Exception ex) when (!_abandon.IsCancellationRequested)
        {
            // Not even parking worked (the broker is unreachable): the broker keeps it and redelivers.
            LogSettleFailed(logger, ex, message.Properties.CorrelationId);
            await NackAsync(channel, deliveryTag);
        }
        catch (OperationCanceledException)
        {
            // Drain time over: left unacked for redelivery.
        }
    }

    private async Task AckAsync(DeliveryAcknowledger channel, ulong deliveryTag)
    {
        try
        {
            long started = Stopwatch.GetTimestamp();
            await channel.AckAsync(deliveryTag);
            metrics.Stage(PipelineMetrics.Stages.Ack, started, Stopwatch.GetTimestamp());
        }
        catch (AlreadyClosedException)
        {
            // The channel died after the reply was confirmed: the broker redelivers, and the requester
            // may see this reply twice. At-least-once allows that; losing the request would not be.
            LogAckLost(logger, deliveryTag);
        }
    }

    private async Task NackAsync(DeliveryAcknowledger channel, ulong deliveryTag)
    {
        try
        {
            await channel.NackAsync(deliveryTag);
        }
        catch (AlreadyClosedException)
        {
            LogAckLost(logger, deliveryTag);
        }
    }

    private async Task DrainAsync(List<(DeliveryAcknowledger Channel, string Tag)> consumers)
    {
        state.IsDraining = true;
        state.IsConsuming = false;
        LogDraining(logger, state.InFlight, _options.DrainTimeout);
        foreach ((DeliveryAcknowledger channel, string tag) in consumers)
        {
            try
            {
                await channel.Channel.BasicCancelAsync(tag);
            }
            catch (Exception ex) when (ex is AlreadyClosedException or OperationInterruptedException or TimeoutException)
            {
                // Nothing more will be delivered on a closed channel anyway.
            }
        }

        long started = timeProvider.GetTimestamp();
        while (state.InFlight > 0 && timeProvider.GetElapsedTime(started) < _options.DrainTimeout)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(20), timeProvider);
        }

        if (state.InFlight > 0)
        {
            LogDrainTimedOut(logger, state.InFlight);
            await _abandon.CancelAsync();
        }

        // Requests that finished during the last flush interval are acked before the channels close.
        foreach (DeliveryAcknowledger channel in consumers.Select(c => c.Channel).Distinct())
        {
            try
            {
                await channel.FlushAsync();
            }
            catch (Exception ex) when (ex is AlreadyClosedException or OperationInterruptedException)
            {
                // Their requests go back to the queue with the channel; at-least-once allows the repeat.
            }
        }

        LogDrained(logger, timeProvider.GetElapsedTime(started).TotalSeconds);
    }

    private static async Task CloseQuietlyAsync(IAsyncDisposable closable)
    {
        try
        {
            await closable.DisposeAsync();
        }
        catch (Exception ex) when (ex is AlreadyClosedException or OperationInterruptedException or TimeoutException or IOException)
        {
            Debug.WriteLine(ex);
        }
    }

    public override void Dispose()
    {
        _abandon.Dispose();
        base.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Connected to {Endpoint} as {ConnectionName}")]
    private static partial void LogConnected(ILogger logger, string endpoint, string? connectionName);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cannot reach {Endpoint} (attempt {Attempt}): {Error}; retrying in {Delay}")]
    private static partial void LogConnectFailed(ILogger logger, string endpoint, int attempt, TimeSpan delay, string error);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Reply channel not opened at start ({Error}); it opens on the first reply")]
    private static partial void LogPublisherDeferred(ILogger logger, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Lost the broker while setting up the consumers ({Error}); starting over in {Delay}")]
    private static partial void LogSetupInterrupted(ILogger logger, string error, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Connection lost: {Reason}; recovering automatically")]
    private static partial void LogConnectionLost(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Connection to {Endpoint} recovered; consuming again")]
    private static partial void LogRecovered(ILogger logger, string endpoint);

    [LoggerMessage(Level = LogLevel.Information, Message = "Consuming {Queues} with {Consumers} consumer(s) of prefetch {Prefetch}, at most {MaxInFlight} in flight")]
    private static partial void LogConsuming(ILogger logger, string queues, int consumers, int prefetch, int maxInFlight);

    [LoggerMessage(Level = LogLevel.Information, Message = "Draining: consumers cancelled, {InFlight} request(s) in flight, waiting up to {DrainTimeout}")]
    private static partial void LogDraining(ILogger logger, int inFlight, TimeSpan drainTimeout);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Drain time ran out with {InFlight} request(s) unfinished; they stay unacked and the broker redelivers them")]
    private static partial void LogDrainTimedOut(ILogger logger, int inFlight);

    [LoggerMessage(Level = LogLevel.Information, Message = "Drained in {Seconds:F1} s")]
    private static partial void LogDrained(ILogger logger, double seconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Stopped: {Replied} replied, {DeadLettered} dead-lettered, {Failed} failed attempts, {Retried} retried, {Requeued} redeliveries requeued, {InFlight} left in flight")]
    private static partial void LogStopped(ILogger logger, long replied, long deadLettered, long failed, long retried, long requeued, int inFlight);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Attempt failed for correlation id {CorrelationId}; retrying later or dead-lettering")]
    private static partial void LogFailed(ILogger logger, Exception exception, string? correlationId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not park the failed request with correlation id {CorrelationId}; it stays with the broker for redelivery")]
    private static partial void LogSettleFailed(ILogger logger, Exception exception, string? correlationId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Request with correlation id {CorrelationId} was redelivered more than Retry:MaxRedeliveries times (poison?); dead-lettered")]
    private static partial void LogPoison(ILogger logger, string? correlationId);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Ack for delivery {DeliveryTag} lost with its channel; the broker redelivers it")]
    private static partial void LogAckLost(ILogger logger, ulong deliveryTag);
}
