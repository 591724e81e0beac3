using System.Collections.Concurrent;
using System.Diagnostics;
using QueueInference.Pipeline.Messaging;
using RabbitMQ.Client;

namespace QueueInference.Pipeline.Observability;

/// <summary>
/// The app's spans (ActivitySource <see cref="SourceName"/>): one <c>process &lt;queue&gt;</c> span per attempt at a
/// request, a child of the requester's span when the request carried W3C trace context, with one child per stage:
/// <c>io</c>, <c>compute_wait</c>, <c>transformation</c>, <c>inference</c>, <c>reply</c> (publish to confirm; its
/// context is what the reply carries back) and <c>ack</c>. Retries, dead letters and failed attempts are events on
/// the process span.
/// </summary>
/// <remarks>
/// Nothing here costs anything while no listener is attached (no exporter configured): <see cref="StartProcess"/>
/// returns null before reading a header, and every other method returns at once for a null or unsampled span.
/// Stage spans are written when their stage has ended, from the Stopwatch timestamps the stage histograms already
/// take, so a stage pays for its span only when its request is sampled. Activity.Current is left as it was: the
/// consumer's dispatch loop and the compute threads must not inherit one request's span as the next one's parent.
/// Inference runs in batches; each request of a batch gets an <c>inference</c> span of its own covering the run it
/// was part of, with the run's size in <c>queueinference.batch.size</c>, so every trace shows its request's whole path.
/// </remarks>
public static class PipelineTracing
{
    public const string SourceName = "QueueInference";

    private static readonly ActivitySource Source = new(SourceName, typeof(PipelineTracing).Assembly.GetName().Version?.ToString());

    private static readonly ConcurrentDictionary<string, string> ProcessNames = new(StringComparer.Ordinal);

    /// <summary>Whether any listener (an exporter, a test) wants the app's spans.</summary>
    public static bool IsListened => Source.HasListeners();

    /// <summary>
    /// Starts the span of one attempt at a request, picked up at <paramref name="pickedUpAt"/>; null when nothing
    /// listens. Its parent is the requester's context from the request's headers, or else the caller's current span.
    /// </summary>
    public static Activity? StartProcess(IReadOnlyBasicProperties properties, string queue, DateTimeOffset pickedUpAt, int bodyBytes)
    {
        if (!Source.HasListeners())
        {
            return null;
        }

        TraceContextHeaders.TryExtract(properties, out ActivityContext requester);
        Activity? previous = Activity.Current;
        Activity? span = Source.StartActivity(
            ProcessNames.GetOrAdd(queue, static q => $"process {q}"),
            ActivityKind.Consumer,
            requester,
            startTime: pickedUpAt);
        if (span is null)
        {
            return null;
        }

        Activity.Current = previous;
        if (span.IsAllDataRequested)
        {
            span.SetTag("messaging.system", "rabbitmq");
            span.SetTag("messaging.operation.type", "process");
            span.SetTag("messaging.destination.name", queue);
            span.SetTag("messaging.message.body.size", bodyBytes);
            if (properties.CorrelationId is { Length: > 0 } correlationId)
            {
                span.SetTag("messaging.message.conversation_id", correlationId);
            }

            // 1 for a first attempt; a retried copy carries the failures before it.
            if (RetryHeaders.Read(properties.Headers, RetryHeaders.Attempts) is int failures)
            {
                span.SetTag("queueinference.attempt", failures + 1);
            }
        }

        return span;
    }

    /// <summary>Records a stage of <paramref name="parent"/>'s request that ran from one Stopwatch timestamp to another.</summary>
    public static void Stage(Activity? parent, string stage, long startTimestamp, long endTimestamp, int batchSize = 0)
    {
        if (parent is not { IsAllDataRequested: true })
        {
            return;
        }

        DateTime now = DateTime.UtcNow;
        DateTime start = now - Stopwatch.GetElapsedTime(startTimestamp);
        DateTime end = now - Stopwatch.GetElapsedTime(endTimestamp);
        Activity? previous = Activity.Current;
        Activity? span = Source.StartActivity(stage, ActivityKind.Internal, parent.Context, startTime: start);
        if (span is null)
        {
            return;
        }

        if (batchSize > 0)
        {
            span.SetTag("queueinference.batch.size", batchSize);
        }

        // A zero duration would make Stop() stamp the end with the current time.
        span.SetEndTime(end > start ? end : start.AddTicks(1));
        span.Stop();
        Activity.Current = previous;
    }

    /// <summary>Starts the span of the reply's publish (ended by <see cref="End"/> once confirmed); null unless <paramref name="parent"/> is sampled.</summary>
    public static Activity? StartReply(Activity? parent)
    {
        if (parent is not { IsAllDataRequested: true })
        {
            return null;
        }

        Activity? previous = Activity.Current;
        Activity? span = Source.StartActivity(PipelineMetrics.Stages.Reply, ActivityKind.Producer, parent.Context);
        Activity.Current = previous;
        return span;
    }

    /// <summary>A failed attempt: the exception, as an event.</summary>
    public static void Failed(Activity? span, Exception error)
    {
        if (span is { IsAllDataRequested: true })
        {
            span.AddException(error);
            span.SetStatus(ActivityStatusCode.Error, error.GetType().Name);
        }
    }

    /// <summary>The request went to the dead-letter queue for <paramref name="reason"/>: it gets no reply.</summary>
    public static void DeadLettered(Activity? span, string reason)
    {
        if (span is { IsAllDataRequested: true })
        {
            span.AddEvent(new ActivityEvent("dead_lettered", tags: new ActivityTagsCollection { ["queueinference.dead_letter.reason"] = reason }));
            span.SetStatus(ActivityStatusCode.Error, reason);
        }
    }

    /// <summary>What became of a failed attempt (or of a redelivery whose consumer died): retried, requeued or dead-lettered.</summary>
    public static void Settled(Activity? span, FailureOutcome outcome, string deadLetterReason)
    {
        if (span is not { IsAllDataRequested: true })
        {
            return;
        }

        switch (outcome)
        {
            case FailureOutcome.Retried:
                span.AddEvent(new ActivityEvent("retry_scheduled"));
                break;
            case FailureOutcome.Requeued:
                span.AddEvent(new ActivityEvent("requeued_after_redelivery"));
                break;
            case FailureOutcome.DeadLettered:
                DeadLettered(span, deadLetterReason);
                break;
        }
    }

    /// <summary>The attempt was given back to the broker unanswered (its connection went away, or the drain ran out).</summary>
    public static void Abandoned(Activity? span)
    {
        if (span is { IsAllDataRequested: true })
        {
            span.AddEvent(new ActivityEvent("abandoned_to_broker"));
        }
    }

    /// <summary>Ends a span started here, leaving Activity.Current as it was.</summary>
    public static void End(Activity? span)
    {
        if (span is null)
        {
            return;
        }

        Activity? previous = Activity.Current;
        span.Stop();
        if (!ReferenceEquals(Activity.Current, previous))
        {
            Activity.Current = previous;
        }
    }
}
