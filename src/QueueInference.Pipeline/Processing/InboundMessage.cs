using RabbitMQ.Client;

namespace QueueInference.Pipeline.Processing;

/// <summary>A request as a host received it. <see cref="Body"/> must stay valid until processing ends.</summary>
/// <param name="Body">The message body, copied out of the transport's buffer.</param>
/// <param name="Properties">The AMQP properties: reply_to, correlation_id and headers.</param>
/// <param name="PickedUpAt">When the host picked the message up (the reply's pick_up_timestamp).</param>
/// <param name="Queue">The request queue it came from; null means the first configured one.</param>
public readonly record struct InboundMessage(ReadOnlyMemory<byte> Body, IReadOnlyBasicProperties Properties, DateTimeOffset PickedUpAt, string? Queue = null);
