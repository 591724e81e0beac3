using System.Buffers;
using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.ObjectPool;
using Microsoft.Extensions.Options;
using QueueInference.Pipeline.Contract;
using QueueInference.Pipeline.Inference;
using QueueInference.Pipeline.Messaging;
using QueueInference.Pipeline.Observability;
using QueueInference.Pipeline.Stages;
using RabbitMQ.Client.Exceptions;

namespace QueueInference.Pipeline.Processing;

/// <summary>
/// parse/validate → I/O step → transformation → inference → reply, shared by both hosts. It ends
/// every request with a confirmed reply or a confirmed dead-letter entry, so the host may ack
/// whenever it returns; when it throws (a failing I/O step, inference or broker) nothing was
/// settled and the host decides whether to retry.
/// </summary>
public sealed partial class InferencePipeline(
    RequestParser parser,
    IIoStep ioStep,
    ITransformation transformation,
    OnnxInferenceEngine inference,
    ComputeScheduler compute,
    ReplyPublisher replies,
    DeadLetterPublisher deadLetters,
    IOptions<ReplyOptions> replyOptions,
    IOptions<PipelineOptions> pipelineOptions,
    PipelineMetrics metrics,
    ILogger<InferencePipeline> logger,
    TimeProvider timeProvider)
{
    private const int StackLimit = 256;
    // Retains enough idle buffers for thousands of requests in flight to reuse rather than allocate them.
    private static readonly ObjectPool<ArrayBufferWriter<byte>> ReplyBuffers =
        new DefaultObjectPoolProvider { MaximumRetained = 16 * 1024 }.Create(new ReplyBufferPolicy());

    private readonly string? _defaultReplyQueue = string.IsNullOrEmpty(replyOptions.Value.DefaultReplyQueue) ? null : replyOptions.Value.DefaultReplyQueue;

    private readonly bool _errorReplies = replyOptions.Value.ErrorReplies;
    private readonly TimeSpan _timeout = pipelineOptions.Value.MessageTimeout;

    /// <summary>Processes one request within Pipeline:MessageTimeout; a timeout surfaces as <see cref="TimeoutException"/>.</summary>
    public async ValueTask<ProcessingOutcome> ProcessAsync(InboundMessage message, CancellationToken cancellationToken)
    {
        using TimeoutSources.Lease timeout = TimeoutSources.Rent(_timeout, cancellationToken);
        try
        {
            return await ProcessWithinAsync(message, timeout.Token);
        }
        catch (OperationCanceledException ex) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"The request took longer than Pipeline:MessageTimeout ({_timeout}).", ex);
        }
    }

    private async ValueTask<ProcessingOutcome> ProcessWithinAsync(InboundMessage message, CancellationToken cancellationToken)
    {
        if (!parser.TryParse(message.Body, out InferenceRequest? parsed, out RejectionReason rejection))
        {
            string reason = rejection.ToWireName();
            LogRejected(logger, reason, message.Properties.CorrelationId, message.Body.Length);
            await deadLetters.PublishAsync(message.Body, message.Properties, message.Queue, reason, null, default, cancellationToken);
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
        metrics.Stage(PipelineMetrics.Stages.Io, ioStarted, Stopwatch.GetTimestamp());

        ArrayBufferWriter<byte> reply = ReplyBuffers.Get();
        try
        {
            await compute.RunAsync(
                static state =>
                {
                    var (pipeline, request, pickedUpAt, reply) = ((InferencePipeline, InferenceRequest, DateTimeOffset, ArrayBufferWriter<byte>))state!;
                    pipeline.Compose(request, pickedUpAt, reply);
                },
                (this, request, message.PickedUpAt, reply));
            string? replyTo = string.IsNullOrEmpty(message.Properties.ReplyTo) ? _defaultReplyQueue : message.Properties.ReplyTo;
            if (replyTo is null)
            {
                string reason = RejectionReason.MissingReplyTo.ToWireName();
                LogNoReplyTo(logger, message.Properties.CorrelationId, deadLetters.QueueNameFor(message.Queue));
                await deadLetters.PublishAsync(message.Body, message.Properties, message.Queue, reason, null, reply.WrittenMemory, cancellationToken);
                return ProcessingOutcome.DeadLettered(reason);
            }

            try
            {
                long publishStarted = Stopwatch.GetTimestamp();
                await replies.PublishAsync(replyTo, message.Properties.CorrelationId, reply.WrittenMemory, cancellationToken);
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
                await deadLetters.PublishAsync(message.Body, message.Properties, message.Queue, reason, ex, reply.WrittenMemory, cancellationToken);
                return ProcessingOutcome.DeadLettered(reason);
            }
        }
        finally
        {
            ReplyBuffers.Return(reply);
        }
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

    /// <summary>Transformation, inference and the reply body: the CPU part, with no await in it.</summary>
    private void Compose(InferenceRequest request, DateTimeOffset pickedUpAt, ArrayBufferWriter<byte> reply)
    {
        ModelSignature signature = inference.Signature;
        float[]? rentedInput = null;
        float[]? rentedOutput = null;
        Span<float> input = signature.InputLength <= StackLimit
            ? stackalloc float[signature.InputLength]
            : (rentedInput = ArrayPool<float>.Shared.Rent(signature.InputLength)).AsSpan(0, signature.InputLength);
        Span<float> output = signature.OutputLength <= StackLimit
            ? stackalloc float[signature.OutputLength]
            : (rentedOutput = ArrayPool<float>.Shared.Rent(signature.OutputLength)).AsSpan(0, signature.OutputLength);
        try
        {
            long started = Stopwatch.GetTimestamp();
            double processed = transformation.Transform(request.Data, input);
            long transformed = Stopwatch.GetTimestamp();
            inference.Run(input, output);
            metrics.Stage(PipelineMetrics.Stages.Transformation, started, transformed);
            metrics.Stage(PipelineMetrics.Stages.Inference, transformed, Stopwatch.GetTimestamp());
            ReplyWriter.Write(reply, request, UnixSeconds(pickedUpAt), UnixSeconds(timeProvider.GetUtcNow()), processed, output, inference.OutputShapeSpan);
        }
        finally
        {
            if (rentedInput is not null)
            {
                ArrayPool<float>.Shared.Return(rentedInput);
            }

            if (rentedOutput is not null)
            {
                ArrayPool<float>.Shared.Return(rentedOutput);
            }
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
        public override ArrayBufferWriter<byte> Create() => new(512);

        public override bool Return(ArrayBufferWriter<byte> obj)
        {
            obj.ResetWrittenCount();
            return obj.Capacity <= 64 * 1024; // keep the pool from pinning the odd huge reply
        }
    }
}
