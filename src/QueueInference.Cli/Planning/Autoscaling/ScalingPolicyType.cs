namespace QueueInference.Cli.Planning.Autoscaling;

/// <summary>HPAScalingPolicy.type in autoscaling/v2.</summary>
public enum ScalingPolicyType
{
    Pods,
    Percent,
}
