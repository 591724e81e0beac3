using System.Collections.Concurrent;
using QueueInference.Pipeline.Messaging;
using RabbitMQ.Client;

namespace QueueInference.Pipeline.Tests.Tracing;

/// <summary>Stands in for the broker's confirmed publish: keeps each message as the pipeline handed it over.</summary>
internal sealed class RecordingPublisher : IMessagePublisher
{
    public ConcurrentQueue<(string RoutingKey, BasicProperties Properties, byte[] Body)> Published { get; } = new();

    public ValueTask PublishAsync(string exchange, string routingKey, BasicProperties properties, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        Published.Enqueue((routingKey, properties, body.ToArray()));
        return ValueTask.CompletedTask;
    }
}
