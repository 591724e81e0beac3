namespace QueueInference.Cli.Planning.Autoscaling;

/// <summary>
/// KEDA's own polling loop, which only moves the target between zero (or idle) and active; between 1 and N
/// the HPA decides. Follows RequestScale in kedacore/keda v2.20.2 pkg/scaling/executor/scale_scaledobjects.go:
/// active (metric &gt; activationValue, rabbitmq_scaler.go GetMetricsAndActivity) at zero replicas scales to
/// max(1, minReplicaCount); inactive with minReplicaCount 0 scales to zero once cooldownPeriod has passed
/// since the last active poll.
/// </summary>
public sealed class KedaActivationLoop(KedaSettings settings)
{
    private double? _lastActiveSeconds;

    /// <summary>The replica count KEDA sets at this poll, or null when it leaves the target alone.</summary>
    public int? Poll(double now, int currentReplicas, double metricValue)
    {
        bool active = metricValue > settings.ActivationValue;
        if (active)
        {
            _lastActiveSeconds = now;
            return currentReplicas == 0 ? Math.Max(1, settings.MinReplicaCount) : null;
        }

        if (currentReplicas > 0 && settings.MinReplicaCount == 0)
        {
            // With no active poll ever seen, KEDA waits initialCooldownPeriod (default 0) from creation.
            bool cooledDown = _lastActiveSeconds is not { } lastActive || now - lastActive > settings.CooldownPeriodSeconds;
            return cooledDown ? 0 : null;
        }

        return currentReplicas < settings.MinReplicaCount ? settings.MinReplicaCount : null;
    }
}
