namespace QueueInference.Cli.Planning.Autoscaling;

/// <summary>HPAScalingRules.selectPolicy in autoscaling/v2: which policy wins when several allow different changes.</summary>
public enum PolicySelection
{
    Max,
    Min,
    Disabled,
}
