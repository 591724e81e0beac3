using System.Diagnostics;
using RabbitMQ.Client;

namespace QueueInference.Pipeline.Processing;

/// <summary>A request as a host received it. <see cref="Body"/> must stay valid until processing ends.</summary>
/// <param name="Body">The message body, copied out of the transport's buffer.</param>
/// <param name="Properties">The AMQP properties: reply_to, correlation_id and headers.</param>
/// <param name="PickedUpAt">When the host picked the message up (the reply's pick_up_timestamp).</param>
/// <param name="Queue">The request queue it came from; null means the first configured one.</param>
/// <param name="Gate">
/// When set, what the request settles through (the worker's <see cref="Attempt"/>): the reply or dead letter is
/// published only while a delivery of it can still be acked, and published again after a connection failure.
/// Null (the Functions host) publishes at once, and a failure fails the attempt.
/// </param>
/// <param name="Trace">The attempt's span (<see cref="Observability.PipelineTracing.StartProcess"/>), parent of the stages' spans; null while tracing is off.</param>
public readonly record struct InboundMessage(ReadOnlyMemory<byte> Body, IReadOnlyBasicProperties Properties, DateTimeOffset PickedUpAt, string? Queue = null, ISettlementGate? Gate = null, Activity? Trace = null);
