using RabbitMQ.Client;

namespace QueueInference.Worker.Consuming;

/// <summary>Takes a delivery from a consumer's dispatch; it must copy what it keeps and return quickly.</summary>
internal interface IDeliveryHandler
{
    Task OnDelivered(SlotConsumer consumer, ulong deliveryTag, bool redelivered, IReadOnlyBasicProperties properties, ReadOnlyMemory<byte> body);
}
