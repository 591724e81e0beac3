namespace QueueInference.Cli.Planning.Autoscaling;

/// <summary>How the ScaledObject turns several queues into replicas.</summary>
public enum TriggerCombination
{
    /// <summary>
    /// One metric over all queues: the RabbitMQ trigger with <c>useRegex</c> and <c>operation: sum</c> (HTTP only,
    /// kedacore/keda v2.20.2 pkg/scalers/rabbitmq_scaler.go getComposedQueue), or <c>advanced.scalingModifiers</c>
    /// with a formula adding the triggers.
    /// </summary>
    Sum,

    /// <summary>
    /// One trigger per queue and nothing else: the HPA computes replicas per metric and takes the highest
    /// (keda.sh FAQ "Using multiple triggers for the same scale target"), so balanced partitions count as one.
    /// </summary>
    MaxOfTriggers,
}
