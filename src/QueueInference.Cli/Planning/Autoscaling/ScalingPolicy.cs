namespace QueueInference.Cli.Planning.Autoscaling;

/// <summary>One HPAScalingPolicy: at most <paramref name="Value"/> pods (or percent) per <paramref name="PeriodSeconds"/>.</summary>
public sealed record ScalingPolicy(ScalingPolicyType Type, int Value, int PeriodSeconds);
