using System.Diagnostics;
using System.Text;
using RabbitMQ.Client;

namespace QueueInference.Pipeline.Observability;

/// <summary>
/// W3C trace context in AMQP headers, as RabbitMQ.Client 7's own instrumentation writes it (through
/// <see cref="DistributedContextPropagator"/>: <c>traceparent</c> and <c>tracestate</c> as strings, which arrive as
/// AMQP long strings, i.e. <c>byte[]</c>) and as OpenTelemetry's pika instrumentation writes it.
/// </summary>
/// <remarks>
/// A reply carries trace context only when its request did: a request without <c>traceparent</c> gets no header
/// from here, so the seed's clients see the replies they always saw.
/// </remarks>
public static class TraceContextHeaders
{
    public const string TraceParent = "traceparent";

    public const string TraceState = "tracestate";

    /// <summary>The requester's context; false when there is none or its <c>traceparent</c> is not valid W3C.</summary>
    public static bool TryExtract(IReadOnlyBasicProperties properties, out ActivityContext context)
    {
        context = default;
        if (properties.Headers is not { } headers || !headers.TryGetValue(TraceParent, out object? parent) || AsString(parent) is not { } traceParent)
        {
            return false;
        }

        string? traceState = headers.TryGetValue(TraceState, out object? state) ? AsString(state) : null;
        return ActivityContext.TryParse(traceParent, traceState, isRemote: true, out context);
    }

    /// <summary>
    /// The headers a reply carries: null (none) unless the request carried a valid <c>traceparent</c>. Then the
    /// context of <paramref name="span"/> (the reply's span, or the request's when the reply's was not sampled), or,
    /// with tracing off, the requester's own context unchanged.
    /// </summary>
    public static Dictionary<string, object?>? ForReply(IReadOnlyBasicProperties request, Activity? span)
    {
        if (request.Headers is null || !TryExtract(request, out ActivityContext requester))
        {
            return null;
        }

        if (span is null)
        {
            return Write(requester.TraceId, requester.SpanId, requester.TraceFlags, requester.TraceState);
        }

        return Write(span.TraceId, span.SpanId, span.ActivityTraceFlags, span.TraceStateString);
    }

    private static Dictionary<string, object?> Write(ActivityTraceId traceId, ActivitySpanId spanId, ActivityTraceFlags flags, string? traceState)
    {
        var headers = new Dictionary<string, object?>(2)
        {
            [TraceParent] = $"00-{traceId.ToHexString()}-{spanId.ToHexString()}-{((flags & ActivityTraceFlags.Recorded) != 0 ? "01" : "00")}",
        };
        if (!string.IsNullOrEmpty(traceState))
        {
            headers[TraceState] = traceState;
        }

        return headers;
    }

    private static string? AsString(object? value) => value switch
    {
        byte[] bytes => Encoding.UTF8.GetString(bytes),
        string text => text,
        _ => null,
    };
}
