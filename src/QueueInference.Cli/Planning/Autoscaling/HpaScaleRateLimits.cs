namespace QueueInference.Cli.Planning.Autoscaling;

/// <summary>
/// How far the behaviour's policies let the HPA move from <c>currentReplicas</c> now, counting the changes
/// already made inside each policy's period. Mirrors calculateScaleUpLimitWithScalingRules and
/// calculateScaleDownLimitWithBehaviors in kubernetes/kubernetes pkg/controller/podautoscaler/horizontal.go.
/// </summary>
public static class HpaScaleRateLimits
{
    public static int ScaleUpLimit(int currentReplicas, IReadOnlyList<ScaleEvent> scaleUpEvents, IReadOnlyList<ScaleEvent> scaleDownEvents, ScalingRules rules, double now)
    {
        ArgumentNullException.ThrowIfNull(rules);
        if (rules.Select == PolicySelection.Disabled)
        {
            return currentReplicas;
        }

        bool pickMin = rules.Select == PolicySelection.Min;
        int result = pickMin ? int.MaxValue : int.MinValue;
        foreach (ScalingPolicy policy in rules.Policies)
        {
            int periodStart = currentReplicas - ChangesWithin(scaleUpEvents, policy.PeriodSeconds, now) + ChangesWithin(scaleDownEvents, policy.PeriodSeconds, now);
            int proposed = policy.Type == ScalingPolicyType.Pods
                ? periodStart + policy.Value
                // Rounded up so that a small replica count can still grow (same comment in horizontal.go).
                : (int)Math.Ceiling(periodStart * (1.0 + (policy.Value / 100.0)));
            result = pickMin ? Math.Min(result, proposed) : Math.Max(result, proposed);
        }

        return result;
    }

    public static int ScaleDownLimit(int currentReplicas, IReadOnlyList<ScaleEvent> scaleUpEvents, IReadOnlyList<ScaleEvent> scaleDownEvents, ScalingRules rules, double now)
    {
        ArgumentNullException.ThrowIfNull(rules);
        if (rules.Select == PolicySelection.Disabled)
        {
            return currentReplicas;
        }

        // For scale-down the "Max" policy is the one allowing the biggest change, i.e. the lowest floor.
        bool pickHighestFloor = rules.Select == PolicySelection.Min;
        int result = pickHighestFloor ? int.MinValue : int.MaxValue;
        foreach (ScalingPolicy policy in rules.Policies)
        {
            int periodStart = currentReplicas - ChangesWithin(scaleUpEvents, policy.PeriodSeconds, now) + ChangesWithin(scaleDownEvents, policy.PeriodSeconds, now);
            int proposed = policy.Type == ScalingPolicyType.Pods
                ? periodStart - policy.Value
                : (int)(periodStart * (1.0 - (policy.Value / 100.0)));
            result = pickHighestFloor ? Math.Max(result, proposed) : Math.Min(result, proposed);
        }

        return result;
    }

    private static int ChangesWithin(IReadOnlyList<ScaleEvent> events, int periodSeconds, double now)
    {
        int sum = 0;
        foreach (ScaleEvent scaleEvent in events)
        {
            if (scaleEvent.TimeSeconds > now - periodSeconds)
            {
                sum += scaleEvent.Change;
            }
        }

        return sum;
    }
}
