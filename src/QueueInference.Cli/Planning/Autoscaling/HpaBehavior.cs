namespace QueueInference.Cli.Planning.Autoscaling;

/// <summary>HorizontalPodAutoscalerBehavior: scale-up and scale-down rules.</summary>
public sealed record HpaBehavior(ScalingRules ScaleUp, ScalingRules ScaleDown)
{
    /// <summary>
    /// The API server's defaults (kubernetes/kubernetes pkg/apis/autoscaling/v2/defaults.go): scale up by
    /// max(4 pods, 100 %) per 15 s with no stabilisation; scale down by up to 100 % per 15 s after a 300 s
    /// stabilisation window (the controller's --horizontal-pod-autoscaler-downscale-stabilization default,
    /// pkg/controller/podautoscaler/config/v1alpha1/defaults.go).
    /// </summary>
    public static HpaBehavior KubernetesDefault { get; } = new(
        new ScalingRules(0, PolicySelection.Max, [new(ScalingPolicyType.Pods, 4, 15), new(ScalingPolicyType.Percent, 100, 15)]),
        new ScalingRules(300, PolicySelection.Max, [new(ScalingPolicyType.Percent, 100, 15)]));
}
