namespace QueueInference.Cli.Planning.Autoscaling;

/// <summary>
/// Controller-wide HPA settings: tolerance 0.1 and a 15 s sync period are the kube-controller-manager
/// defaults (kubernetes/kubernetes pkg/controller/podautoscaler/config/v1alpha1/defaults.go).
/// </summary>
public sealed record HpaSettings(double Tolerance, double SyncPeriodSeconds, HpaBehavior Behavior)
{
    public static HpaSettings KubernetesDefault { get; } = new(0.1, 15.0, HpaBehavior.KubernetesDefault);
}
