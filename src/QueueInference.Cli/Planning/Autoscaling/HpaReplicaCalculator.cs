namespace QueueInference.Cli.Planning.Autoscaling;

/// <summary>
/// The replica count the HPA proposes for an External metric with an AverageValue target, the type
/// KEDA's RabbitMQ scaler emits (kedacore/keda v2.20.2 pkg/scalers/rabbitmq_scaler.go, GetMetricSpecForScaling).
/// Mirrors GetExternalPerPodMetricReplicas in kubernetes/kubernetes pkg/controller/podautoscaler/replica_calculator.go:
/// the usage ratio is taken against the current replica count, and inside the tolerance nothing changes.
/// </summary>
public static class HpaReplicaCalculator
{
    public static int DesiredReplicasForAverageValue(double metricValue, double targetAverageValue, int currentReplicas, double tolerance)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(targetAverageValue);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(currentReplicas);
        double usageRatio = metricValue / (targetAverageValue * currentReplicas);
        if (Math.Abs(1.0 - usageRatio) <= tolerance)
        {
            return currentReplicas;
        }

        // KEDA and the HPA exchange milli-quantities; ceil on the double quotient is what the controller does.
        return (int)Math.Ceiling(metricValue / targetAverageValue);
    }
}
