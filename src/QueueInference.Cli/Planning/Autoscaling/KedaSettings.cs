namespace QueueInference.Cli.Planning.Autoscaling;

/// <summary>
/// The ScaledObject knobs the planner models. Defaults as in kedacore/keda v2.20.2: pollingInterval 30 s
/// (apis/keda/v1alpha1/withtriggers_types.go), cooldownPeriod 300 s (pkg/scaling/executor/scale_executor.go),
/// maxReplicaCount 100 (apis/keda/v1alpha1/scaledobject_types.go), RabbitMQ value 20 (rabbitmq_scaler.go).
/// </summary>
/// <param name="TargetValue">The trigger's <c>value</c>: messages per replica (AverageValue target).</param>
/// <param name="UseCachedMetrics">When true the HPA sees the value read at the last poll instead of a fresh read.</param>
public sealed record KedaSettings(
    double TargetValue,
    double ActivationValue,
    double PollingIntervalSeconds,
    double CooldownPeriodSeconds,
    int MinReplicaCount,
    int MaxReplicaCount,
    QueueMetricSource Metric,
    bool UseCachedMetrics)
{
    /// <summary>KEDA gives the HPA minReplicas = max(1, minReplicaCount) (scaledobject_types.go, GetHPAMinReplicas).</summary>
    public int HpaMinReplicas => Math.Max(1, MinReplicaCount);
}
