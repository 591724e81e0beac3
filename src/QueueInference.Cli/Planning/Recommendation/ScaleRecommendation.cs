namespace QueueInference.Cli.Planning.Recommendation;

/// <summary>The search's answer.</summary>
/// <param name="Best">Fewest pod-seconds among candidates meeting the target; when none does, the lowest worst-case latency.</param>
/// <param name="MaxReplicaCount">The best run's peak pods (run without a cap) plus 20 % headroom.</param>
public sealed record ScaleRecommendation(
    RecommendationCandidate Best,
    bool TargetMet,
    double TargetWorstLatencySeconds,
    double CapacityMargin,
    int MaxReplicaCount,
    IReadOnlyList<RecommendationCandidate> Evaluated);
