namespace QueueInference.Cli.Planning.Autoscaling;

/// <summary>HPAScalingRules for one direction, as in <c>advanced.horizontalPodAutoscalerConfig.behavior.scaleUp|scaleDown</c>.</summary>
public sealed record ScalingRules(int StabilizationWindowSeconds, PolicySelection Select, IReadOnlyList<ScalingPolicy> Policies)
{
    public int LongestPeriodSeconds => Policies.Count == 0 ? 0 : Policies.Max(p => p.PeriodSeconds);
}
