using System.Buffers;
using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.ObjectPool;
using Microsoft.Extensions.Options;
using QueueInference.Pipeline.Admission;
using QueueInference.Pipeline.Contract;
using QueueInference.Pipeline.Messaging;
using QueueInference.Pipeline.Observability;
using QueueInference.Pipeline.Stages;
using RabbitMQ.Client.Exceptions;

namespace QueueInference.Pipeline.Processing;

/// <summary>
/// parse/validate → I/O step → transformation → inference → reply, shared by both hosts. It ends
/// every request with a confirmed reply or a confirmed dead-letter entry, so the host may ack
/// whenever it returns; when it throws (a failing I/O step, inference or broker) nothing was
/// settled and the host decides whether to retry. With a <see cref="InboundMessage.Gate"/>, the
/// reply or dead letter goes out only through a delivery the host can still ack
/// (<see cref="ProcessingStatus.Abandoned"/> when there is none any more).
/// </summary>
public sealed partial class InferencePipeline(
    RequestParser parser,
    IIoStep ioStep,
    ComputeScheduler compute,
    ReplyPublisher replies,
    DeadLetterPublisher deadLetters,
    IOptions<ReplyOptions> replyOptions,
    IOptions<PipelineOptions> pipelineOptions,
    PipelineMetrics metrics,
    ILogger<InferencePipeline> logger,
    TimeProvider timeProvider)
{
    /// <summary>
    /// Largest reply buffer kept for reuse: the pool keeps up to <see cref="PooledReplyBuffers"/> of them, so at most
    /// 64 MiB, and that only after as many requests of about 2.5 KB held one at once. The model rows' 64-value requests
    /// (about 1.3 KB) took a new 2.4 KB buffer each when only requests up to 1 KB were pooled: a quarter of the bytes a
    /// model-heavy request allocated.
    /// </summary>
    internal const int PooledReplyBytes = 4096;

    /// <summary>A new pooled buffer's size: the seed's replies fit.</summary>
    private const int NewPooledReplyBytes = 512;

    /// <summary>
    /// A buffer is taken after the I/O step and given back once the reply is confirmed, so what is in use at once is
    /// the requests waiting for or in the compute lane, or for a confirm: hundreds when the lane keeps up, and up to
    /// the in-flight limit when it does not (cpu-bound holds about 11 000 there).
    /// </summary>
    private const int PooledReplyBuffers = 16 * 1024;

    // Retains enough idle buffers for thousands of requests in flight to reuse rather than allocate them.
    private static readonly ObjectPool<ArrayBufferWriter<byte>> ReplyBuffers =
        new DefaultObjectPoolProvider { MaximumRetained = PooledReplyBuffers }.Create(new ReplyBufferPolicy());

    private readonly string? _defaultReplyQueue = string.IsNullOrEmpty(replyOptions.Value.DefaultReplyQueue) ? null : replyOptions.Value.DefaultReplyQueue;

    private readonly bool _errorReplies = replyOptions.Value.ErrorReplies;
    private readonly TimeSpan _timeout = pipelineOptions.Value.MessageTimeout;
    private readonly DeadlineList _timeouts = TimeoutSources.For(pipelineOptions.Value.MessageTimeout);

    /// <summary>Processes one request within Pipeline:MessageTimeout; a timeout surfaces as <see cref="TimeoutException"/>.</summary>
    /// <remarks>
    /// One async method for the whole request: its state lives through the I/O step, and with thousands of requests
    /// in flight every extra state machine is memory the GC copies from generation to generation.
    /// </remarks>
    public async ValueTask<ProcessingOutcome> ProcessAsync(InboundMessage message, CancellationToken stopping)
    {
        using TimeoutSources.Lease timeout = _timeouts.Rent(stopping);
        CancellationToken cancellationToken = timeout.Token;
        try
        {
            if (!parser.TryParse(message.Body, out InferenceRequest? parsed, out RejectionReason rejection))
            {
                string reason = rejection.ToWireName();
                LogRejected(logger, reason, message.Properties.CorrelationId, message.Body.Length);
                if (!await DeadLetterAsync(message, reason, null, default, cancellationToken))
                {
                    return ProcessingOutcome.Abandoned;
                }

                if (_errorReplies && !string.IsNullOrEmpty(message.Properties.ReplyTo))
                {
                    await TryPublishErrorAsync(message, reason, cancellationToken);
                }

                return ProcessingOutcome.DeadLettered(reason);
            }

            using InferenceRequest request = parsed!;
            if (request.SendTimestamp is double sent)
            {
                metrics.Stage(PipelineMetrics.Stages.PickUpWait, Math.Max(UnixSeconds(message.PickedUpAt) - sent, 0));
            }

            long ioStarted = Stopwatch.GetTimestamp();
            await ioStep.ExecuteAsync(request, cancellationToken);
            long ioEnded = Stopwatch.GetTimestamp();
            metrics.Stage(PipelineMetrics.Stages.Io, ioStarted, ioEnded);
            PipelineTracing.Stage(message.Trace, PipelineMetrics.Stages.Io, ioStarted, ioEnded);

            ArrayBufferWriter<byte> reply = RentReplyBuffer(message.Body.Length);
            try
            {
                await compute.ComposeAsync(request, message.PickedUpAt, reply, message.Trace);
                string? replyTo = string.IsNullOrEmpty(message.Properties.ReplyTo) ? _defaultReplyQueue : message.Properties.ReplyTo;
                if (replyTo is null)
                {
                    string reason = RejectionReason.MissingReplyTo.ToWireName();
                    LogNoReplyTo(logger, message.Properties.CorrelationId, deadLetters.QueueNameFor(message.Queue));
                    return await DeadLetterAsync(message, reason, null, reply.WrittenMemory, cancellationToken)
                        ? ProcessingOutcome.DeadLettered(reason)
                        : ProcessingOutcome.Abandoned;
                }

                // The reply carries trace context back only when the request brought some (TraceContextHeaders).
                Activity? replySpan = PipelineTracing.StartReply(message.Trace);
                try
                {
                    long publishStarted = Stopwatch.GetTimestamp();
                    if (!await Settlement.PublishAsync(
                            message.Gate,
                            (replies, replyTo, message.Properties.CorrelationId, reply.WrittenMemory, Headers: TraceContextHeaders.ForReply(message.Properties, replySpan ?? message.Trace)),
                            static (state, token) => state.replies.PublishAsync(state.replyTo, state.CorrelationId, state.WrittenMemory, state.Headers, token),
                            cancellationToken))
                    {
                        return ProcessingOutcome.Abandoned;
                    }

                    metrics.Stage(PipelineMetrics.Stages.Reply, publishStarted, Stopwatch.GetTimestamp());
                    metrics.Replied((timeProvider.GetUtcNow() - message.PickedUpAt).TotalSeconds);
                    LogReplied(logger, message.Properties.CorrelationId, replyTo);
                    return ProcessingOutcome.Replied;
                }
                catch (PublishReturnException ex)
                {
                    // The reply queue does not exist (the client is gone or never declared it): retrying cannot help.
                    const string reason = "reply-unroutable";
                    LogUnroutable(logger, replyTo, ex.ReplyText, message.Properties.CorrelationId);
                    return await DeadLetterAsync(message, reason, ex, reply.WrittenMemory, cancellationToken)
                        ? ProcessingOutcome.DeadLettered(reason)
                        : ProcessingOutcome.Abandoned;
                }
                finally
                {
                    PipelineTracing.End(replySpan);
                }
            }
            finally
            {
                if (reply.Capacity <= PooledReplyBytes)
                {
                    ReplyBuffers.Return(reply);
                }
            }
        }
        catch (OperationCanceledException ex) when (timeout.IsCancellationRequested && !stopping.IsCancellationRequested)
        {
            throw new TimeoutException($"The request took longer than Pipeline:MessageTimeout ({_timeout}).", ex);
        }
    }

    /// <summary>
    /// A buffer with room for the reply to a body of <paramref name="bodyBytes"/>, as the memory budget counts it
    /// (<see cref="RequestMemoryCost"/>): a reply echoes the request's data, so it is sized from the body at once. The
    /// size matters beyond the copies growing would make: the reply's Utf8JsonWriter asks for 4 KB more whenever it
    /// runs out, which would take the buffer past what the pool keeps.
    /// </summary>
    internal static ArrayBufferWriter<byte> RentReplyBuffer(int bodyBytes)
    {
        int size = bodyBytes + RequestMemoryCost.ReplyOverheadBytes;
        if (NewPooledReplyBytes + size > PooledReplyBytes)
        {
            return new ArrayBufferWriter<byte>(size);
        }

        ArrayBufferWriter<byte> reply = ReplyBuffers.Get();
        if (reply.FreeCapacity < size)
        {
            // ArrayBufferWriter has no EnsureCapacity: asking for the span grows it (a new one to 512 + size); one that
            // outgrows PooledReplyBytes is not taken back (ReplyBufferPolicy).
            reply.GetSpan(size);
        }

        return reply;
    }

    /// <summary>Settles the request in the dead-letter queue; false when its host gave it up to the broker.</summary>
    private async ValueTask<bool> DeadLetterAsync(InboundMessage message, string reason, Exception? error, ReadOnlyMemory<byte> result, CancellationToken cancellationToken)
    {
        bool settled = await Settlement.PublishAsync(
            message.Gate,
            (deadLetters, message, reason, error, result),
            static (state, token) => state.deadLetters.PublishAsync(state.message.Body, state.message.Properties, state.message.Queue, state.reason, state.error, state.result, token),
            cancellationToken);
        if (settled)
        {
            PipelineTracing.DeadLettered(message.Trace, reason);
        }

        return settled;
    }

    private async ValueTask TryPublishErrorAsync(InboundMessage message, string reason, CancellationToken cancellationToken)
    {
        try
        {
            await replies.PublishErrorAsync(message.Properties.ReplyTo!, message.Properties.CorrelationId, reason, deadLetters.QueueNameFor(message.Queue), cancellationToken);
        }
        catch (PublishReturnException)
        {
            // The request is safe in the dead-letter queue; a requester that is gone needs no error reply.
        }
    }

    /// <summary>Unix seconds as a float, the form of Python's time.time().</summary>
    internal static double UnixSeconds(DateTimeOffset time) => (time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / (double)TimeSpan.TicksPerSecond;

    [LoggerMessage(Level = LogLevel.Debug, Message = "Replied to correlation id {CorrelationId} on {ReplyTo}")]
    private static partial void LogReplied(ILogger logger, string? correlationId, string replyTo);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Request rejected ({Reason}), correlation id {CorrelationId}, {BodyBytes} bytes; moved to the dead-letter queue")]
    private static partial void LogRejected(ILogger logger, string reason, string? correlationId, int bodyBytes);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Request with correlation id {CorrelationId} has no reply_to and Reply:DefaultReplyQueue is empty; its result goes to {DeadLetterQueue}")]
    private static partial void LogNoReplyTo(ILogger logger, string? correlationId, string deadLetterQueue);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reply queue {ReplyTo} does not exist ({ReplyText}); request with correlation id {CorrelationId} moved to the dead-letter queue")]
    private static partial void LogUnroutable(ILogger logger, string replyTo, string replyText, string? correlationId);

    private sealed class ReplyBufferPolicy : PooledObjectPolicy<ArrayBufferWriter<byte>>
    {
        public override ArrayBufferWriter<byte> Create() => new(NewPooledReplyBytes);

        public override bool Return(ArrayBufferWriter<byte> obj)
        {
            obj.ResetWrittenCount();
            return obj.Capacity <= PooledReplyBytes; // a pool of large buffers would hold memory no request is using
        }
    }
}
