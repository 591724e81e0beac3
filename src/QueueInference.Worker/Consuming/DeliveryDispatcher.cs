using System.Buffers;
using System.Diagnostics;
using Microsoft.Extensions.Options;
using QueueInference.Pipeline.Admission;
using QueueInference.Pipeline.Messaging;
using QueueInference.Pipeline.Observability;
using QueueInference.Pipeline.Processing;
using RabbitMQ.Client;

namespace QueueInference.Worker.Consuming;

/// <summary>
/// Takes each delivery from the consumers to its end: counted against the memory budget, matched against the
/// attempts this process has running or ended (so a redelivery after a connection loss joins its attempt, or
/// is acked without a second reply), processed by the pipeline, and acked only after its reply, dead letter
/// or retry copy was confirmed. A failure is retried through the retry queues, unless the delivery's
/// connection is gone: then the broker redelivers it, and it is neither retried nor counted as a crash.
/// </summary>
internal sealed partial class DeliveryDispatcher(
    InferencePipeline pipeline,
    RetryScheduler retries,
    AttemptRegistry registry,
    MemoryBudget budget,
    RequestMemoryCost memoryCost,
    CreditGovernor governor,
    ConsumerState state,
    OutageReport outages,
    PipelineMetrics metrics,
    IOptions<PipelineOptions> pipelineOptions,
    TimeProvider timeProvider,
    ILogger<DeliveryDispatcher> logger) : IDeliveryHandler, IDisposable
{
    /// <summary>A failure to park a failed request is retried by the broker after this pause, not at once in a loop.</summary>
    private static readonly TimeSpan SettleFailurePause = TimeSpan.FromSeconds(1);

    // Cancels in-flight work only when the drain time runs out, never on the stop signal itself.
    private readonly CancellationTokenSource _abandon = new();
    private readonly TimeSpan _settleTimeout = pipelineOptions.Value.MessageTimeout;

    // One delegate for every delivery rather than a new one each.
    private Action<ConsumerDelivery>? _onReleased;

    public Task OnDelivered(SlotConsumer consumer, ulong deliveryTag, bool redelivered, IReadOnlyBasicProperties properties, ReadOnlyMemory<byte> body)
    {
        DateTimeOffset pickedUp = timeProvider.GetUtcNow();
        consumer.Acknowledger.Delivered(deliveryTag);
        string queue = consumer.Slot.Queue;
        RequestKey key = RequestKey.For(queue, properties, body.Span);

        // What it will hold is reserved before anything else, so the governor's next look sees it.
        long reserved = memoryCost.Of(body.Span);
        var delivery = new ConsumerDelivery(consumer, deliveryTag, reserved, _onReleased ??= OnReleased);
        budget.Reserve(reserved);
        metrics.InFlightBytes(reserved);
        consumer.Session.DeliveryStarted();
        // No governor signal: a delivery uses credit the governor already counted at the worst size, so it
        // never raises what the broker may still push; only its release makes room.
        state.Started();

        AdmissionDecision decision = registry.Admit(key, delivery, redelivered);
        switch (decision.Kind)
        {
            case AdmissionKind.Joined:
                CountRedelivery("joined");
                return Task.CompletedTask;
            case AdmissionKind.AlreadyAnswered:
                CountRedelivery("already_answered");
                _ = delivery.AckAsync();
                return Task.CompletedTask;
            case AdmissionKind.OwnRedelivery:
                CountRedelivery("reprocessed");
                break;
            case AdmissionKind.UnknownRedelivery:
                metrics.Redelivery("unknown");
                break;
        }

        // The client reuses the body's memory once this callback returns.
        byte[] rented = ArrayPool<byte>.Shared.Rent(body.Length);
        body.Span.CopyTo(rented);
        Attempt attempt = decision.Attempt!;
        Activity? trace = PipelineTracing.StartProcess(properties, queue, pickedUp, body.Length);
        var message = new InboundMessage(rented.AsMemory(0, body.Length), properties, pickedUp, queue, attempt, trace);
        _ = ProcessAsync(attempt, decision.Kind == AdmissionKind.UnknownRedelivery, message, rented);
        return Task.CompletedTask;
    }

    /// <summary>The drain ran out: work still running is cancelled and left unacked for redelivery elsewhere.</summary>
    public Task AbandonAsync() => _abandon.CancelAsync();

    public void Dispose() => _abandon.Dispose();

    private async Task ProcessAsync(Attempt attempt, bool unknownRedelivery, InboundMessage message, byte[] rentedBody)
    {
        try
        {
            if (unknownRedelivery)
            {
                await RequeueAsync(attempt, message);
                return;
            }

            ProcessingOutcome processed = await pipeline.ProcessAsync(message, _abandon.Token);
            switch (processed.Status)
            {
                case ProcessingStatus.Replied:
                    state.CountReplied();
                    break;
                case ProcessingStatus.DeadLettered:
                    state.CountDeadLettered();
                    break;
                default:
                    Abandon(attempt, message.Trace);
                    return;
            }

            await AckAsync(attempt, registry.EndSettled(attempt), message.Trace);
        }
        catch (OperationCanceledException) when (_abandon.IsCancellationRequested)
        {
            // The drain time ran out: left unacked, so the broker redelivers it when the channel closes.
            Abandon(attempt, message.Trace);
        }
        catch (Exception ex) when (!attempt.HasLiveDelivery)
        {
            // Its connection went away: the broker has it back and redelivers it. Not this request's failure.
            LogLostWithConnection(logger, message.Properties.CorrelationId, ex.Message);
            Abandon(attempt, message.Trace);
        }
        catch (Exception ex)
        {
            state.CountFailed(ex);
            LogFailed(logger, message.Properties.CorrelationId, ex.GetType().Name, ex.Message);
            LogFailureDetail(logger, ex, message.Properties.CorrelationId);
            PipelineTracing.Failed(message.Trace, ex);
            await SettleFailureAsync(attempt, message, ex);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rentedBody);
            PipelineTracing.End(message.Trace);
        }
    }

    /// <summary>
    /// A consumer died holding this request (crash, kill). It may be the cause, so that is counted in the message
    /// (a new copy at the queue's tail) before it is processed again. A method of its own, so that the lambda's
    /// closure is not allocated for every request that <see cref="ProcessAsync"/> holds through its I/O step.
    /// </summary>
    private async Task RequeueAsync(Attempt attempt, InboundMessage message)
    {
        FailureOutcome? guarded = await SettleAsync(attempt, token => retries.RequeueOrDeadLetterAsync(message.Body, message.Properties, message.Queue, token));
        if (guarded is { } outcome)
        {
            state.Count(outcome);
            PipelineTracing.Settled(message.Trace, outcome, RetryScheduler.PoisonReason);
            if (outcome == FailureOutcome.DeadLettered)
            {
                LogPoison(logger, message.Properties.CorrelationId);
            }

            await AckAsync(attempt, registry.EndSettled(attempt), message.Trace);
        }
        else
        {
            Abandon(attempt, message.Trace);
        }
    }

    /// <summary>Parks a failed request for a retry (or dead-letters it after the last attempt), then acks it.</summary>
    private async Task SettleFailureAsync(Attempt attempt, InboundMessage message, Exception error)
    {
        try
        {
            FailureOutcome? outcome = await SettleAsync(attempt, token => retries.RetryOrDeadLetterAsync(message.Body, message.Properties, message.Queue, error, token));
            if (outcome is { } parked)
            {
                state.Count(parked);
                PipelineTracing.Settled(message.Trace, parked, RetryScheduler.ExhaustedReason);
                await AckAsync(attempt, registry.EndSettled(attempt), message.Trace);
            }
            else
            {
                Abandon(attempt, message.Trace);
            }
        }
        catch (OperationCanceledException) when (_abandon.IsCancellationRequested)
        {
            Abandon(attempt, message.Trace);
        }
        catch (Exception ex)
        {
            // Not even parking worked (a refused declare, a confirm that never came): the broker keeps the
            // request and redelivers it, after a pause, so a broken broker is not hammered in a loop.
            LogSettleFailed(logger, message.Properties.CorrelationId, ex.GetType().Name, ex.Message);
            await Task.Delay(SettleFailurePause, timeProvider);
            foreach (IDelivery delivery in registry.EndUnsettled(attempt))
            {
                await ((ConsumerDelivery)delivery).NackAsync();
            }
        }
    }

    /// <summary>
    /// Runs a settling step through the attempt's gate: the wait for a live delivery is bounded by the message
    /// timeout, the publish itself by Reply:ConfirmTimeout; both end with the drain.
    /// </summary>
    private async Task<FailureOutcome?> SettleAsync(Attempt attempt, Func<CancellationToken, ValueTask<FailureOutcome>> step)
    {
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(_abandon.Token);
        wait.CancelAfter(_settleTimeout);
        try
        {
            return await Settlement.SettleAsync(attempt, step, wait.Token, _abandon.Token);
        }
        catch (OperationCanceledException) when (wait.IsCancellationRequested && !_abandon.IsCancellationRequested)
        {
            return null;
        }
    }

    /// <summary>Acks every live delivery of a settled attempt; one whose ack cannot be sent is remembered, so its redelivery is not answered twice.</summary>
    private async Task AckAsync(Attempt attempt, IReadOnlyList<IDelivery> deliveries, Activity? trace)
    {
        long started = Stopwatch.GetTimestamp();
        bool anyAcked = false;
        // Indexed, not Cast<>(): these loops run for every request, and each Cast and its enumerator is an allocation.
        for (int i = 0; i < deliveries.Count; i++)
        {
            var delivery = (ConsumerDelivery)deliveries[i];
            anyAcked |= delivery.IsLive && await delivery.AckAsync();
        }

        for (int i = 0; i < deliveries.Count; i++)
        {
            var delivery = (ConsumerDelivery)deliveries[i];
            if (!anyAcked)
            {
                // Answered, but no ack can reach the broker: its redelivery will be acked without a second reply.
                outages.Ended(delivery.Session, answered: true);
            }

            delivery.Release();
        }

        if (anyAcked)
        {
            long ended = Stopwatch.GetTimestamp();
            metrics.Stage(PipelineMetrics.Stages.Ack, started, ended);
            PipelineTracing.Stage(trace, PipelineMetrics.Stages.Ack, started, ended);
        }
        else
        {
            registry.AckLost(attempt.Key);
        }
    }

    private void Abandon(Attempt attempt, Activity? trace)
    {
        PipelineTracing.Abandoned(trace);
        state.CountAbandoned();
        foreach (ConsumerDelivery delivery in registry.EndAbandoned(attempt).Cast<ConsumerDelivery>())
        {
            outages.Ended(delivery.Session, answered: false);
            delivery.Release();
        }
    }

    private void CountRedelivery(string outcome)
    {
        metrics.Redelivery(outcome);
        outages.Redelivery(outcome);
    }

    private void OnReleased(ConsumerDelivery delivery)
    {
        budget.Release(delivery.ReservedBytes);
        metrics.InFlightBytes(-delivery.ReservedBytes);
        state.Ended();
        int remaining = delivery.Session.DeliveryEnded();
        if (!delivery.Session.IsOpen)
        {
            outages.DeliveryOfLostSessionEnded(delivery.Session, remaining);
        }

        governor.Signal();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Attempt failed for correlation id {CorrelationId} ({ErrorType}: {Error}); retrying later or dead-lettering")]
    private static partial void LogFailed(ILogger logger, string? correlationId, string errorType, string error);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Failure detail for correlation id {CorrelationId}")]
    private static partial void LogFailureDetail(ILogger logger, Exception exception, string? correlationId);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Request with correlation id {CorrelationId} lost its connection ({Error}); the broker redelivers it")]
    private static partial void LogLostWithConnection(ILogger logger, string? correlationId, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not park the failed request with correlation id {CorrelationId} ({ErrorType}: {Error}); it goes back to the broker for redelivery")]
    private static partial void LogSettleFailed(ILogger logger, string? correlationId, string errorType, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Request with correlation id {CorrelationId} was redelivered more than Retry:MaxRedeliveries times (poison?); dead-lettered")]
    private static partial void LogPoison(ILogger logger, string? correlationId);
}
