namespace QueueInference.Cli.Planning.Autoscaling;

/// <summary>
/// One HPA for one scale target, driven by a single External AverageValue metric, stepping the way
/// reconcileAutoscaler does in kubernetes/kubernetes pkg/controller/podautoscaler/horizontal.go:
/// clamp when outside [min, max], otherwise propose, stabilise (stabilizeRecommendationWithBehaviors),
/// then rate-limit and clamp (convertDesiredReplicasWithBehaviorRate).
/// </summary>
/// <remarks>
/// This is the path taken when the HPA has a <c>behavior</c>. An HPA without one (KEDA creates it so unless
/// <c>advanced.horizontalPodAutoscalerConfig.behavior</c> is set) runs the older rule, scale-up limited to
/// max(2 x current, 4) per sync; the chart sets <c>behavior</c> explicitly so that this model applies.
/// </remarks>
public sealed class HorizontalPodAutoscaler(HpaSettings settings)
{
    private readonly List<TimedRecommendation> _recommendations = [];
    private readonly List<ScaleEvent> _scaleUpEvents = [];
    private readonly List<ScaleEvent> _scaleDownEvents = [];
    private bool _seenTarget;

    public HpaSettings Settings { get; } = settings;

    /// <summary>The replica count the HPA writes to the scale target at <paramref name="now"/>.</summary>
    /// <param name="minReplicas">The HPA's minReplicas; KEDA sets at least 1 (scale to zero is KEDA's job, not the HPA's).</param>
    public int Reconcile(double now, int currentReplicas, double metricValue, double targetAverageValue, int minReplicas, int maxReplicas)
    {
        if (!_seenTarget)
        {
            // recordInitialRecommendation: the first sync counts the current size as a recommendation, so a
            // freshly created HPA does not scale down before its stabilisation window has passed.
            _recommendations.Add(new TimedRecommendation(now, currentReplicas));
            _seenTarget = true;
        }

        if (currentReplicas == 0)
        {
            // The HPA reports ScalingDisabled at zero replicas; KEDA activates the target.
            return 0;
        }

        int desired;
        if (currentReplicas > maxReplicas)
        {
            desired = maxReplicas;
        }
        else if (currentReplicas < minReplicas)
        {
            desired = minReplicas;
        }
        else
        {
            int proposed = HpaReplicaCalculator.DesiredReplicasForAverageValue(metricValue, targetAverageValue, currentReplicas, Settings.Tolerance);
            int stabilised = Stabilise(now, currentReplicas, proposed);
            desired = LimitRate(now, currentReplicas, stabilised, minReplicas, maxReplicas);
        }

        if (desired > currentReplicas)
        {
            Record(_scaleUpEvents, Settings.Behavior.ScaleUp, new ScaleEvent(now, desired - currentReplicas), now);
        }
        else if (desired < currentReplicas)
        {
            Record(_scaleDownEvents, Settings.Behavior.ScaleDown, new ScaleEvent(now, currentReplicas - desired), now);
        }

        return desired;
    }

    /// <summary>Keeps the recommendation between the lowest of the scale-up window and the highest of the scale-down window.</summary>
    private int Stabilise(double now, int currentReplicas, int proposed)
    {
        double upCutoff = now - Settings.Behavior.ScaleUp.StabilizationWindowSeconds;
        double downCutoff = now - Settings.Behavior.ScaleDown.StabilizationWindowSeconds;
        int upRecommendation = proposed;
        int downRecommendation = proposed;
        foreach (TimedRecommendation recommendation in _recommendations)
        {
            if (recommendation.TimeSeconds > upCutoff)
            {
                upRecommendation = Math.Min(upRecommendation, recommendation.Replicas);
            }

            if (recommendation.TimeSeconds > downCutoff)
            {
                downRecommendation = Math.Max(downRecommendation, recommendation.Replicas);
            }
        }

        _recommendations.RemoveAll(r => r.TimeSeconds <= upCutoff && r.TimeSeconds <= downCutoff);
        _recommendations.Add(new TimedRecommendation(now, proposed));

        int result = Math.Max(currentReplicas, upRecommendation);
        return Math.Min(result, downRecommendation);
    }

    private int LimitRate(double now, int currentReplicas, int desired, int minReplicas, int maxReplicas)
    {
        if (desired > currentReplicas)
        {
            int limit = Math.Max(currentReplicas, HpaScaleRateLimits.ScaleUpLimit(currentReplicas, _scaleUpEvents, _scaleDownEvents, Settings.Behavior.ScaleUp, now));
            return Math.Min(desired, Math.Min(maxReplicas, limit));
        }

        if (desired < currentReplicas)
        {
            int limit = Math.Min(currentReplicas, HpaScaleRateLimits.ScaleDownLimit(currentReplicas, _scaleUpEvents, _scaleDownEvents, Settings.Behavior.ScaleDown, now));
            return Math.Max(desired, Math.Max(minReplicas, limit));
        }

        return desired;
    }

    private static void Record(List<ScaleEvent> events, ScalingRules rules, ScaleEvent scaleEvent, double now)
    {
        // Events older than the longest policy period can no longer limit anything (markScaleEventsOutdated).
        events.RemoveAll(e => e.TimeSeconds <= now - rules.LongestPeriodSeconds);
        events.Add(scaleEvent);
    }
}
