namespace QueueInference.Cli.Planning.Autoscaling;

/// <summary>
/// What KEDA's RabbitMQ scaler counts in QueueLength mode (kedacore/keda v2.20.2 pkg/scalers/rabbitmq_scaler.go,
/// getQueueStatus): over AMQP it is the passive queue.declare message count, which holds only ready messages;
/// over the management HTTP API it is <c>messages</c> (ready + unacknowledged) unless
/// <c>excludeUnacknowledged</c> asks for <c>messages_ready</c>.
/// </summary>
public enum QueueMetricSource
{
    ReadyOnly,
    ReadyAndUnacknowledged,
}
