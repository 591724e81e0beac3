using RabbitMQ.Client;

namespace QueueInference.Pipeline.Messaging;

/// <summary>Publishes one message and completes once the broker confirmed it (<see cref="ConfirmingPublisher"/>).</summary>
public interface IMessagePublisher
{
    ValueTask PublishAsync(string exchange, string routingKey, BasicProperties properties, ReadOnlyMemory<byte> body, CancellationToken cancellationToken);
}
