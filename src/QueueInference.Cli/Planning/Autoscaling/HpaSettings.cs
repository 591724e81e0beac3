namespace QueueInference.Cli.Planning.Autoscaling;

/// <summary>
/// Controller-wide HPA settings: tolerance 0.1, a 15 s sync period and a 5 min downscale stabilisation are
/// the kube-controller-manager defaults (kubernetes/kubernetes pkg/controller/podautoscaler/config/v1alpha1/defaults.go).
/// </summary>
/// <param name="Behavior">The HPA's <c>behavior</c>; null for an HPA without one, which the controller handles with its older rules.</param>
public sealed record HpaSettings(double Tolerance, double SyncPeriodSeconds, HpaBehavior? Behavior, double DownscaleStabilizationSeconds = 300)
{
    public static HpaSettings KubernetesDefault { get; } = new(0.1, 15.0, HpaBehavior.KubernetesDefault);
}
