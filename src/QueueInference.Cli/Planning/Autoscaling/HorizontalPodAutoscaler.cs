namespace QueueInference.Cli.Planning.Autoscaling;

/// <summary>
/// One HPA for one scale target, driven by a single External AverageValue metric, stepping the way
/// reconcileAutoscaler does in kubernetes/kubernetes pkg/controller/podautoscaler/horizontal.go:
/// clamp when outside [min, max], otherwise propose, stabilise (stabilizeRecommendationWithBehaviors),
/// then rate-limit and clamp (convertDesiredReplicasWithBehaviorRate).
/// </summary>
/// <remarks>
/// An HPA without <c>behavior</c> (KEDA creates it so unless <c>advanced.horizontalPodAutoscalerConfig.behavior</c>
/// is set) takes the controller's older path instead (normalizeDesiredReplicas): the highest recommendation of
/// the downscale stabilisation window, then at most max(2 x current, 4) replicas per sync.
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
            desired = Settings.Behavior is { } behavior
                ? LimitRate(behavior, now, currentReplicas, Stabilise(behavior, now, currentReplicas, proposed), minReplicas, maxReplicas)
                : LegacyNormalise(now, currentReplicas, proposed, minReplicas, maxReplicas);
        }

        if (Settings.Behavior is { } rules && desired != currentReplicas)
        {
            bool up = desired > currentReplicas;
            Record(up ? _scaleUpEvents : _scaleDownEvents, up ? rules.ScaleUp : rules.ScaleDown, new ScaleEvent(now, Math.Abs(desired - currentReplicas)), now);
        }

        return desired;
    }

    /// <summary>
    /// No <c>behavior</c>: the highest recommendation of the downscale stabilisation window (stabilizeRecommendation),
    /// then clamped to [min, max(2 x current, 4)] and maxReplicas (convertDesiredReplicasWithRules).
    /// </summary>
    private int LegacyNormalise(double now, int currentReplicas, int proposed, int minReplicas, int maxReplicas)
    {
        double cutoff = now - Settings.DownscaleStabilizationSeconds;
        int highest = proposed;
        foreach (TimedRecommendation recommendation in _recommendations)
        {
            if (recommendation.TimeSeconds > cutoff)
            {
                highest = Math.Max(highest, recommendation.Replicas);
            }
        }

        _recommendations.RemoveAll(r => r.TimeSeconds <= cutoff);
        _recommendations.Add(new TimedRecommendation(now, proposed));
        int scaleUpLimit = (int)Math.Max(2.0 * currentReplicas, 4.0);
        int upper = Math.Min(maxReplicas, scaleUpLimit);
        return Math.Clamp(highest, minReplicas, Math.Max(minReplicas, upper));
    }

    /// <summary>Keeps the recommendation between the lowest of the scale-up window and the highest of the scale-down window.</summary>
    private int Stabilise(HpaBehavior behavior, double now, int currentReplicas, int proposed)
    {
        double upCutoff = now - behavior.ScaleUp.StabilizationWindowSeconds;
        double downCutoff = now - behavior.ScaleDown.StabilizationWindowSeconds;
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

    private int LimitRate(HpaBehavior behavior, double now, int currentReplicas, int desired, int minReplicas, int maxReplicas)
    {
        if (desired > currentReplicas)
        {
            int limit = Math.Max(currentReplicas, HpaScaleRateLimits.ScaleUpLimit(currentReplicas, _scaleUpEvents, _scaleDownEvents, behavior.ScaleUp, now));
            return Math.Min(desired, Math.Min(maxReplicas, limit));
        }

        if (desired < currentReplicas)
        {
            int limit = Math.Min(currentReplicas, HpaScaleRateLimits.ScaleDownLimit(currentReplicas, _scaleUpEvents, _scaleDownEvents, behavior.ScaleDown, now));
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
