using QueueInference.Cli.Planning.Simulation;

namespace QueueInference.Cli.Planning.Recommendation;

/// <summary>One point of the search and how it did.</summary>
/// <param name="WorstLatencyWithSlowerPodsSeconds">The worst latency again with every pod slower by the capacity margin; null when not checked.</param>
public sealed record RecommendationCandidate(
    double Value,
    double PollingIntervalSeconds,
    int MaxInFlight,
    SimulationSummary Summary,
    bool MeetsTarget,
    double? WorstLatencyWithSlowerPodsSeconds);
